# The ASK CLI's build hook on Windows. `ask deploy` runs {projectRoot}\hooks\build.ps1 as
#   PowerShell.exe -Command "& {& 'hooks\build.ps1' '<zip to write>' $False }"
# where on Linux and macOS it runs hooks/build.sh; without this file it would silently zip
# lambda\ alone, a function that fails on its first import. Like build.sh, this ships the
# very zip `make lambda-zip` builds (tools/lambda_zip.py: .pyc files for Lambda's python3.12,
# only what the Lambda path imports), so every way of deploying ships the same package.
# Windows has no make: tools/lambda_zip.py needs only a Python 3.12 and its pip, found as
# $env:LAMBDA_PYTHON, else through the py launcher (py -3.12), else python3.12 on the PATH.
param(
    [Parameter(Mandatory = $true, Position = 0)][string]$ZipFile,
    [Parameter(Position = 1)][bool]$DoDebug = $false
)
$ErrorActionPreference = "Stop"
$root = Split-Path -Parent $PSScriptRoot

function Test-Python312([string]$Candidate) {
    $version = & $Candidate -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
    return ($LASTEXITCODE -eq 0) -and ("$version".Trim() -eq "3.12")
}

function Find-Python312 {
    if ($env:LAMBDA_PYTHON -and (Test-Python312 $env:LAMBDA_PYTHON)) { return $env:LAMBDA_PYTHON }
    if (Get-Command py -ErrorAction SilentlyContinue) {
        $found = & py -3.12 -c "import sys; print(sys.executable)" 2>$null
        if ($LASTEXITCODE -eq 0 -and $found) { return "$found".Trim() }
    }
    foreach ($name in @("python3.12", "python3", "python")) {
        $command = Get-Command $name -ErrorAction SilentlyContinue
        if ($command -and (Test-Python312 $command.Source)) { return $command.Source }
    }
    throw ("Building the Lambda package needs a Python 3.12 interpreter, to compile .pyc " +
           "files for Lambda's python3.12 runtime: install Python 3.12 (with the py launcher) " +
           "or set LAMBDA_PYTHON to one.")
}

$python = Find-Python312
$env:LAMBDA_PYTHON = $python
$tool = Join-Path (Join-Path $root "tools") "lambda_zip.py"
if ($DoDebug) { Write-Host "Building $ZipFile with $python $tool" }
& $python $tool --output $ZipFile
if ($LASTEXITCODE -ne 0) { throw "tools/lambda_zip.py failed (exit code $LASTEXITCODE)" }
