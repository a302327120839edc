"""Writes kubectl's discovery cache for the API in discovery.txt into the directory argv[1]."""
import json, os, sys

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
groups, lists = {}, {}
for line in open(os.path.join(here, "discovery.txt")):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    gv, res, singular, kind, namespaced, short = line.split()
    group, _, version = gv.rpartition("/")
    groups.setdefault(group, [])
    if version not in groups[group]:
        groups[group].append(version)
    r = {"name": res, "singularName": singular, "namespaced": namespaced == "true", "kind": kind,
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]}
    if "/" in res:  # a scale subresource
        r.update({"singularName": "", "group": "autoscaling", "version": "v1",
                  "verbs": ["get", "patch", "update"]})
    if short != "-":
        r["shortNames"] = short.split(",")
    lists.setdefault(gv, []).append(r)
glist = []
for group, versions in groups.items():
    vs = [{"groupVersion": f"{group}/{v}" if group else v, "version": v} for v in versions]
    glist.append({"name": group, "versions": vs, "preferredVersion": vs[0]})
os.makedirs(out, exist_ok=True)
json.dump({"kind": "APIGroupList", "apiVersion": "v1", "groups": glist},
          open(os.path.join(out, "servergroups.json"), "w"))
for gv, resources in lists.items():
    d = os.path.join(out, gv)
    os.makedirs(d, exist_ok=True)
    json.dump({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources},
              open(os.path.join(d, "serverresources.json"), "w"))
