#!/usr/bin/env bash
# Records kubectl 1.33's answers (exit code, stdout, stderr) to every command line of
# commands.txt into answers.txt, which `cargo test --test cli differential` compares kubesim
# against. Run it where kubectl 1.33 is installed: tests/differential/record.sh
# (KUBECTL=/path/to/kubectl to choose the binary).
#
# How kubectl runs, so that its answers are the same on every machine:
# - from the repository's root (the manifests are named testdata/...), with stdin from
#   /dev/null unless the line ends in `< FILE`;
# - with kubesim's kubeconfig: KUBECONFIG is a fresh copy of kubeconfig.yaml for every line
#   (what `kubesim config view --raw` prints: kind's cluster, user and context, the server
#   https://127.0.0.1:41285; a test checks the two agree), so `config` lines see what
#   kubesim shows and a line that changes it (`config set-context ...`) changes only itself;
# - offline: nothing listens at that server. kubectl's discovery cache (a fresh HOME) is
#   filled from discovery.txt (a 1.33 cluster's built-in API), so kubectl maps kinds to
#   resources without a server: `create -f FILE --dry-run=client --validate=false` works
#   offline. A command that still needs the server (its stderr names 127.0.0.1:41285 or
#   localhost:8080) is not offline: the script fails, naming it, and the line must leave the
#   corpus;
# - a line may be a sequence, `A && kubectl B` (run by the shell; the test runs kubesim the
#   same way, on a state of the line's own);
# - as `kubectl` (a link), so argv[0] is what kubectl's own name is (`--record`).
#
# Normalisations, applied to kubectl's answers here and to kubesim's in the test
# (tests/differential.rs `normalise`):
# 1. the program's name: `kubectl` as a word (not `kubectl.kubernetes.io/...` or
#    `kubectl-...`) becomes `kubesim`;
# 2. `version` build fields (gitVersion, gitCommit, gitTreeState, buildDate, goVersion,
#    compiler, platform, major, minor, kustomizeVersion and the `Client Version:` /
#    `Kustomize Version:` lines) become `<...>`: kubesim's own build may differ, not the layout.
# 3. klog's line header (`W1207 21:50:31.001423   26429 `: date, time, thread id) becomes
#    `W<klog header> `.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KUBECTL=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
version=$("$KUBECTL" version --client 2>/dev/null || true)
if [[ "$version" != "Client Version: v1.33."* ]]; then
    echo "record.sh: $KUBECTL is not kubectl 1.33" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/home/.kube/cache/discovery"
ln -s "$KUBECTL" "$tmp/bin/kubectl"
server=$(sed -n 's/^ *server: https:\/\///p' "$here/kubeconfig.yaml")
python3 "$here/make_discovery.py" "$tmp/home/.kube/cache/discovery/${server/:/_}"

normalise() {
    perl -pe '
        s/\bkubectl\b(?![.\-\w])/kubesim/g;
        s/^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ /$1<klog header> /;
        s/^(Client Version|Kustomize Version|Server Version): .*/$1: <...>/;
        s/("(?:major|minor|gitVersion|gitCommit|gitTreeState|buildDate|goVersion|compiler|platform|kustomizeVersion)"\s*:\s*)"[^"]*"/$1"<...>"/g;
        s/^(\s*(?:major|minor|gitVersion|gitCommit|gitTreeState|buildDate|goVersion|compiler|platform|kustomizeVersion):) .*/$1 <...>/;
    '
}

# A block of text, each line prefixed with `| `; a last line without its newline is
# followed by `\ no newline at end`.
block() {
    local f=$1
    [ -s "$f" ] || return 0
    sed 's/^/| /' "$f"
    if [ -n "$(tail -c1 "$f")" ]; then
        echo
        echo '\ no newline at end'
    fi
}

out="$tmp/answers.txt"
offline_failures=()
{
    echo "# kubectl 1.33's answers to commands.txt, written by record.sh; do not edit."
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '' | '#'*) continue ;; esac
        set +e
        cp "$here/kubeconfig.yaml" "$tmp/kubeconfig"
        (cd "$root" && HOME="$tmp/home" KUBECONFIG="$tmp/kubeconfig" PATH="$tmp/bin:$PATH" \
            eval "kubectl $line" </dev/null >"$tmp/out" 2>"$tmp/err")
        code=$?
        set -e
        if grep -q -e 'localhost:8080' -e "$server" "$tmp/err"; then
            offline_failures+=("$line")
        fi
        normalise <"$tmp/out" >"$tmp/out.n"
        normalise <"$tmp/err" >"$tmp/err.n"
        echo "=== $line"
        echo "exit $code"
        echo "stdout:"
        block "$tmp/out.n"
        echo "stderr:"
        block "$tmp/err.n"
    done <"$here/commands.txt"
} >"$out"
if [ ${#offline_failures[@]} -gt 0 ]; then
    echo "record.sh: these commands need a server; take them out of commands.txt:" >&2
    printf '  %s\n' "${offline_failures[@]}" >&2
    exit 1
fi
cp "$out" "$here/answers.txt"
echo "record.sh: $(grep -c '^=== ' "$out") answers written to tests/differential/answers.txt"
