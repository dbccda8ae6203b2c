# Build the Windows bundle that needs no Python on the office PCs:
# dist\antrian-pst\ with pst-admin.exe, pst-kiosk.exe, pst-counter.exe, pst-display.exe
# pst-setup.exe and pst-web.exe sharing one runtime, and dist\antrian-pst-<version>-windows.zip.
#
#   powershell -ExecutionPolicy Bypass -File scripts\build-bundle.ps1
#
# Needs Python 3.11 (python.org) on the build PC only. Creates .venv-build next to the
# project, installs the project and PyInstaller into it, then runs PyInstaller.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

$venv = ".venv-build"
if (-not (Test-Path "$venv\Scripts\python.exe")) {
    Write-Host "build-bundle: creating $venv"
    py -3.11 -m venv $venv
    if ($LASTEXITCODE -ne 0) { throw "Python 3.11 is needed: install it from python.org" }
}
$python = "$venv\Scripts\python.exe"
& $python -m pip install --quiet --upgrade pip
& $python -m pip install --quiet ".[bundle]"
if ($LASTEXITCODE -ne 0) { throw "installing the project failed" }

$start = Get-Date
& $python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\antrian-pst.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$version = & $python -c "import shared; print(shared.__version__)"
$zip = "dist\antrian-pst-$version-windows.zip"
if (Test-Path $zip) { Remove-Item $zip }
Compress-Archive -Path dist\antrian-pst -DestinationPath $zip
$seconds = [int]((Get-Date) - $start).TotalSeconds
Write-Host "build-bundle: dist\antrian-pst and $zip in $seconds s"

# The bundle must start without Python: its own pst-admin answers.
& dist\antrian-pst\pst-admin.exe --version
if ($LASTEXITCODE -ne 0) { throw "the bundled pst-admin does not start" }
