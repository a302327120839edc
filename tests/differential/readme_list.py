"""Rewrites the list of known differences in README.md ("Differential test against kubectl
1.33") from tests/differential/known.txt: the cases grouped by their reason, and the rate."""
import collections, os, re

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
known = open(os.path.join(root, "tests/differential/known.txt")).read().split("\n")
threshold = next(l.split()[1] for l in known if l.startswith("threshold "))
groups = collections.OrderedDict()
for l in known:
    if "  ## " in l and not l.startswith("#"):
        cmd, why = l.split("  ## ", 1)
        groups.setdefault(why, []).append(cmd)
lst = "".join(f"- {why}:\n" + "".join(f"  - `{c}`\n" for c in cmds) for why, cmds in groups.items())
path = os.path.join(root, "README.md")
readme = open(path).read()
start = readme.index("### Differential test against kubectl 1.33")
head = readme.index("Today ", start)
end = readme.index("\n## ", head)
text = f"Today {threshold} of the cases answer as kubectl 1.33 does. Those that still differ, and why:\n\n{lst}"
open(path, "w").write(readme[:head] + text + readme[end:])
