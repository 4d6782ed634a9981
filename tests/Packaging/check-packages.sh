#!/usr/bin/env bash
# Packs the four packages and uses them the way docs/install.md tells a new user to:
#   1. checks each package's metadata and contents (README, licence, tags, repository, XML docs,
#      symbols package, tool settings);
#   2. installs the `obelus` tool from the package and starts `obelus simulate`;
#   3. builds and runs a console app that references only Obelus.Reactive, once with each
#      C# example of the package README, against that simulator;
#   4. builds and runs a test project that references only Obelus.Reactive.Testing (and xunit),
#      with the example of that package's README as its test.
# Needs the .NET SDK and the NuGet registry (for the packages' own dependencies). Takes a few
# minutes; not part of the unit suite. Exit 0 when every check passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d /tmp/obelus-packages.XXXXXX)
simulator_pid=
# A version of its own per run, so that NuGet's cache never serves the packages of an earlier run.
version="0.0.0-check.$(date +%s)"
cleanup() {
  if [[ -n $simulator_pid ]]; then kill "$simulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
  for id in obelus.reactive obelus.reactive.hosting obelus.reactive.testing obelus.reactive.cli; do
    rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/$id/$version"
  done
}
trap cleanup EXIT

fail() { echo "check-packages: FAILED: $*" >&2; exit 1; }
step() { echo "check-packages: $*"; }

version_of() { # the central version of a package, from Directory.Packages.props
  sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"
}

csharp_block() { # the N-th (1-based) ```csharp block of a markdown file
  awk -v n="$2" '/^```csharp$/ { count++; inside = (count == n); next } /^```$/ { inside = 0 } inside' "$1"
}

step "packing $version into $work/feed"
dotnet pack "$repo/Obelus.Reactive.sln" -c Release -p:Version="$version" -o "$work/feed" >"$work/pack.log" 2>&1 \
  || { tail -30 "$work/pack.log"; fail "dotnet pack"; }

for id in Obelus.Reactive Obelus.Reactive.Hosting Obelus.Reactive.Testing Obelus.Reactive.Cli; do
  package="$work/feed/$id.$version.nupkg"
  [[ -f $package ]] || fail "$id: no package"
  [[ -f $work/feed/$id.$version.snupkg ]] || fail "$id: no symbols package (.snupkg)"
  nuspec=$(unzip -p "$package" "$id.nuspec")
  for element in '<readme>README.md</readme>' '<license type="expression">MIT</license>' '<tags>asterisk ' '<repository type="git"' 'commit="' '<description>'; do
    grep -qF "$element" <<<"$nuspec" || fail "$id: the nuspec lacks $element"
  done
  origin=$(git -C "$repo" remote get-url origin 2>/dev/null || true)
  if [[ $origin == http://* || $origin == https://* ]]; then
    grep -q '<repository [^>]*url="http' <<<"$nuspec" || fail "$id: no repository URL although the clone's origin is $origin"
  else
    # A clone of a local folder (or none): there is no public URL to name, only the commit.
    step "$id: the clone's origin is not a web URL (${origin:-none}), so the package names its commit but no repository URL"
  fi
  files=$(unzip -Z1 "$package")
  grep -qx 'README.md' <<<"$files" || fail "$id: README.md is not in the package"
  unzip -p "$package" README.md | grep -q "dotnet \(add package\|tool install\)" || fail "$id: its README does not say how to install it"
  symbols=$(unzip -Z1 "$work/feed/$id.$version.snupkg")
  grep -q '\.pdb$' <<<"$symbols" || fail "$id: the symbols package holds no PDB"
done
for id in Obelus.Reactive Obelus.Reactive.Hosting Obelus.Reactive.Testing; do
  files=$(unzip -Z1 "$work/feed/$id.$version.nupkg")
  grep -qx "lib/net10.0/$id.dll" <<<"$files" || fail "$id: no lib/net10.0/$id.dll"
  grep -qx "lib/net10.0/$id.xml" <<<"$files" || fail "$id: no XML documentation"
done
unzip -p "$work/feed/Obelus.Reactive.Cli.$version.nupkg" tools/net10.0/any/DotnetToolSettings.xml | grep -q 'Name="obelus"' \
  || fail "Obelus.Reactive.Cli: not a tool with the command 'obelus'"
step "metadata and contents of the four packages: ok"

# In the folder above both projects, so that their restores find it.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF

step "installing the tool from its package"
dotnet tool install Obelus.Reactive.Cli --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >"$work/tool.log" 2>&1 \
  || { cat "$work/tool.log"; fail "dotnet tool install"; }
"$work/tools/obelus" --help | grep -q '^Usage:' || fail "obelus --help"
"$work/tools/obelus" simulate --port 0 >"$work/simulate.log" 2>&1 &
simulator_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$work/simulate.log" && break
  sleep 0.2
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/simulate.log")
[[ -n $port ]] || { cat "$work/simulate.log"; fail "obelus simulate did not start"; }
step "the installed tool serves a simulated Asterisk on port $port"

# The README's examples use 5038, simulate's default port; this run uses the free port it got.
mkdir -p "$work/app"
cat >"$work/app/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Obelus.Reactive" Version="$version" />
  </ItemGroup>
</Project>
EOF
readme="$repo/src/Obelus.Reactive/README.md"
expected=("Pong" "Outcome: Busy, cause User busy")
for n in 1 2; do
  csharp_block "$readme" "$n" | sed "s/Port = 5038/Port = $port/" >"$work/app/Program.cs"
  [[ -s $work/app/Program.cs ]] || fail "Obelus.Reactive README: no C# example number $n"
  output=$(cd "$work/app" && timeout 300 dotnet run 2>&1) \
    || { echo "$output"; fail "Obelus.Reactive README example $n did not build or run"; }
  grep -qF "${expected[$((n - 1))]}" <<<"$output" || { echo "$output"; fail "Obelus.Reactive README example $n: no '${expected[$((n - 1))]}'"; }
  step "Obelus.Reactive README example $n, built against the package, ran against the tool: ok"
done

mkdir -p "$work/tests"
cat >"$work/tests/Tests.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <IsTestProject>true</IsTestProject>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="$(version_of Microsoft.NET.Test.Sdk)" />
    <PackageReference Include="xunit" Version="$(version_of xunit)" />
    <PackageReference Include="xunit.runner.visualstudio" Version="$(version_of xunit.runner.visualstudio)" />
    <PackageReference Include="Obelus.Reactive.Testing" Version="$version" />
  </ItemGroup>
</Project>
EOF
csharp_block "$repo/src/Obelus.Reactive.Testing/README.md" 1 >"$work/tests/CallTests.cs"
output=$(cd "$work/tests" && timeout 600 dotnet test 2>&1) \
  || { echo "$output"; fail "the Obelus.Reactive.Testing README example did not pass as a test"; }
grep -q 'Passed!  - Failed:     0, Passed:     1' <<<"$output" || { echo "$output"; fail "the Obelus.Reactive.Testing README example: not one passing test"; }
step "Obelus.Reactive.Testing README example, as the only test of a project referencing only that package: ok"

# SIGTERM: a script's background job ignores SIGINT. The tool stops the same way on both.
kill -TERM "$simulator_pid"
wait "$simulator_pid" || fail "obelus simulate did not exit 0 on SIGTERM"
simulator_pid=
grep -q '^Stopped\.$' "$work/simulate.log" || fail "obelus simulate did not say Stopped."
step "all package checks passed"
