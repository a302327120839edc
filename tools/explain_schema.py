#!/usr/bin/env python3
"""Builds src/kinds/schema/schema.json, the slice of Kubernetes 1.33's API schema that
`kubesim explain` reads, from packages of the ordinary registries:

- PyPI's kubernetes-validate 1.33.1, whose `v1.33.0-local/_definitions.json` holds every
  definition of the 1.33 API (the OpenAPI spec's descriptions, properties, required lists and
  references, recast as JSON Schema 2020-12):

      pip download --no-deps kubernetes-validate==1.33.1 -d /tmp/kv

- the k8s-openapi crate (v1_33), already a dependency, for the two descriptions that
  kubernetes-validate replaces by a `oneOf` (IntOrString and Quantity): its doc comments hold
  them with `<`/`>` escaped and Markdown fences dropped, which is undone here.

Usage: tools/explain_schema.py WHEEL_OR_DIR K8S_OPENAPI_SRC [OUT]

What is kept, per definition: description, type, properties (description, type, $ref by bare
name, items, additionalProperties, enum), required. Only the definitions reachable from the
kinds in KINDS below (the kinds kubesim serves, and the ones being added) are kept. The result
is compact JSON, one definition a line (~470 KB; gzip would make it ~95 KB, not worth a
decompression crate), which the binary includes with include_str!.
"""
import gzip
import json
import os
import re
import sys
import zipfile

# (group, version, kind): what `kubesim api-resources` lists, and the kinds being added
# (HorizontalPodAutoscaler, NetworkPolicy, IngressClass).
KINDS = [
    ("", "v1", k)
    for k in [
        "ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node",
        "PersistentVolumeClaim", "PersistentVolume", "Pod", "ReplicationController",
        "ResourceQuota", "Secret", "ServiceAccount", "Service",
    ]
] + [
    ("apps", "v1", k)
    for k in ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"]
] + [
    ("batch", "v1", "CronJob"),
    ("batch", "v1", "Job"),
    ("coordination.k8s.io", "v1", "Lease"),
    ("discovery.k8s.io", "v1", "EndpointSlice"),
    ("networking.k8s.io", "v1", "Ingress"),
    ("networking.k8s.io", "v1", "IngressClass"),
    ("networking.k8s.io", "v1", "NetworkPolicy"),
    ("policy", "v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "Role"),
    ("scheduling.k8s.io", "v1", "PriorityClass"),
    ("storage.k8s.io", "v1", "StorageClass"),
    ("autoscaling", "v1", "HorizontalPodAutoscaler"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler"),
]

DEFS_PATH = "kubernetes_validate/kubernetes-json-schema/v1.33.0-local/_definitions.json"
REF_PREFIXES = ("#/$defs/", "/api/_definitions.json#/$defs/")


def load_definitions(src):
    if os.path.isdir(src):
        with open(os.path.join(src, DEFS_PATH)) as f:
            return json.load(f)["$defs"]
    with zipfile.ZipFile(src) as z:
        return json.loads(z.read(DEFS_PATH))["$defs"]


def doc_comment(path):
    """The doc comment above the type in a k8s-openapi generated file, unescaped."""
    lines = []
    with open(path) as f:
        for line in f:
            if line.startswith("///"):
                lines.append(line[4:].rstrip("\n") if len(line) > 4 else "")
            elif lines:
                break
    return "\n".join(lines).replace("\\<", "<").replace("\\>", ">")


def quantity_description(src):
    # k8s-openapi drops the Markdown fence that encloses the grammar and turns each of its
    # tab-indented lines into two spaces; the grammar starts at `<quantity>` and ends after
    # `<decimalExponent> ::= ...`.
    text = doc_comment(os.path.join(src, "apimachinery/pkg/api/resource/quantity.rs"))
    text = re.sub(r"^  \(", "\t(", text, flags=re.M)
    text = text.replace("\n\n <quantity>", "\n\n``` <quantity>", 1)
    text = re.sub(r'(<decimalExponent> ::= "e" <signedNumber> \| "E" <signedNumber>)', r"\1 ```", text, 1)
    return text


def type_of(s):
    t = s.get("type")
    if isinstance(t, list):
        t = [x for x in t if x != "null"]
        t = t[0] if len(t) == 1 else None
    return t


def reduce_schema(s, refs, top=False):
    out = {}
    if "description" in s:
        out["description"] = s["description"]
    ref = s.get("$ref")
    if ref:
        for p in REF_PREFIXES:
            if ref.startswith(p):
                ref = ref[len(p):]
        out["$ref"] = ref
        refs.append(ref)
        return out
    t = type_of(s)
    if t:
        out["type"] = t
    if "items" in s:
        out["items"] = reduce_schema(s["items"], refs)
    ap = s.get("additionalProperties")
    if isinstance(ap, dict):
        out["additionalProperties"] = reduce_schema(ap, refs)
    if "properties" in s:
        out["properties"] = {
            k: reduce_schema(v, refs) for k, v in sorted(s["properties"].items())
        }
    if s.get("required"):
        out["required"] = s["required"]
    if "enum" in s:
        out["enum"] = s["enum"]
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    defs = load_definitions(sys.argv[1])
    k8s_openapi = os.path.join(sys.argv[2], "src", "v1_33")
    out_path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(__file__), "..", "src", "kinds", "schema", "schema.json")

    # The converter added a one-value enum to every kind's apiVersion and kind; the spec has none.
    for s in defs.values():
        for p in ("apiVersion", "kind"):
            prop = s.get("properties", {}).get(p)
            if prop and len(prop.get("enum", [])) == 1:
                del prop["enum"]
    intstr = defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
    intstr.pop("oneOf", None)
    intstr["description"] = doc_comment(
        os.path.join(k8s_openapi, "apimachinery/pkg/util/intstr/int_or_string.rs"))
    quantity = defs["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    quantity.pop("oneOf", None)
    quantity["description"] = quantity_description(k8s_openapi)

    kinds = []
    keep = {}
    queue = []
    for group, version, kind in KINDS:
        gvk = {"group": group, "kind": kind, "version": version}
        name = next(
            (n for n, s in defs.items() if gvk in s.get("x-kubernetes-group-version-kind", [])),
            None,
        )
        if name is None:
            sys.exit(f"no definition for {gvk}")
        kinds.append({"group": group, "version": version, "kind": kind, "definition": name})
        queue.append(name)
    while queue:
        name = queue.pop()
        if name in keep:
            continue
        refs = []
        keep[name] = reduce_schema(defs[name], refs, top=True)
        queue.extend(refs)

    doc = {
        "source": "Kubernetes 1.33 (kubernetes-validate 1.33.1, v1.33.0-local)",
        "kinds": kinds,
        "definitions": dict(sorted(keep.items())),
    }
    # Compact JSON, one definition (and one kind) a line, so that a change reads as a diff.
    def compact(v):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)

    lines = ["{" + compact("source") + ":" + compact(doc["source"]) + ",", compact("kinds") + ":["]
    lines += [compact(k) + "," for k in kinds[:-1]] + [compact(kinds[-1]), "],", compact("definitions") + ":{"]
    items = list(doc["definitions"].items())
    lines += [compact(n) + ":" + compact(s) + ("," if i + 1 < len(items) else "") for i, (n, s) in enumerate(items)]
    lines += ["}}", ""]
    raw = "\n".join(lines).encode()
    json.loads(raw)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "wb") as f:
        f.write(raw)
    gz = len(gzip.compress(raw, 9))
    print(f"{len(keep)} definitions, {len(raw)} bytes of JSON ({gz} gzipped) -> {out_path}")


if __name__ == "__main__":
    main()
