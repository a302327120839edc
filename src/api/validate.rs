//! API-server validation lives with the kinds: [`crate::kinds::validation`] (object metadata
//! and the shared rules) and each kind's `Strategy::validate` (`src/kinds/<kind>/strategy.rs`);
//! this path re-exports what the verbs use. The tests here check validation end to end, as
//! kubectl prints the API's Invalid error.

pub use crate::kinds::validation::{
    is_qualified_name, is_valid_label_value, name_warnings, validate,
};

#[cfg(test)]
mod tests {
    use crate::api::Ptr;
    use crate::api::defaults::apply_defaults;
    use crate::api::errors::ApiError;
    use crate::util::fields::Fields;
    use serde_json::Value;
    use serde_json::json;

    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    fn deploy(name: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})
    }

    fn pod(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec})
    }

    /// Defaults, validates and renders as kubectl would (empty when valid).
    fn msg(mut obj: Value, old: Option<Value>) -> String {
        apply_defaults(&mut obj);
        let kind = obj["kind"].as_str().unwrap_or("").to_string();
        let info = crate::kinds::by_kind(&kind).expect("a kind");
        let group = info.group;
        let name = obj
            .ptr("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let old = old.map(|mut o| {
            apply_defaults(&mut o);
            o
        });
        let errs = info.validate(&obj, old.as_ref());
        if errs.is_empty() {
            return String::new();
        }
        ApiError::invalid(&kind, group, &name, errs).kubectl_message()
    }

    fn with(mut v: Value, ptr: &str, new: Value) -> Value {
        let (parent, key) = ptr.rsplit_once('/').expect("pointer");
        v.pointer_mut(parent).expect("parent")[key] = new;
        v
    }

    #[test]
    fn metadata_names() {
        let cases: Vec<(Value, String)> = vec![
            (deploy("web"), String::new()),
            (
                deploy("Foo_Bar"),
                format!("The Deployment \"Foo_Bar\" is invalid: metadata.name: Invalid value: \"Foo_Bar\": {SUBDOMAIN_MSG}"),
            ),
            (
                with(deploy("x"), "/metadata/name", json!("")),
                "The Deployment \"\" is invalid: metadata.name: Required value: name or generateName is required".into(),
            ),
            (
                json!({"kind": "Namespace", "metadata": {"name": "a.b"}}),
                "The Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": must not contain dots".into(),
            ),
            (
                json!({"kind": "Service", "metadata": {"name": "1web", "namespace": "d"}, "spec": {"ports": [{"port": 80}]}}),
                "The Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".into(),
            ),
            (
                json!({"kind": "StatefulSet", "metadata": {"name": "Web", "namespace": "d"},
                    "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
                format!("The StatefulSet \"Web\" is invalid: metadata.name: Invalid value: \"Web\": {LABEL_MSG}"),
            ),
            (
                with(deploy("web"), "/metadata/labels", json!({"app": "x".repeat(64)})),
                format!("The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", "x".repeat(64)),
            ),
            (
                with(deploy("web"), "/metadata/labels", json!({"-bad": "ok"})),
                "The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".into(),
            ),
            (
                with(deploy("web"), "/metadata/annotations", json!({"a/b/c": "x"})),
                "The Deployment \"web\" is invalid: metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".into(),
            ),
            (
                with(deploy("web"), "/metadata/annotations", json!({"big": "x".repeat(262145)})),
                "The Deployment \"web\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes".into(),
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
        assert_eq!(
            msg(deploy(&"a".repeat(254)), None),
            format!(
                "The Deployment \"{0}\" is invalid: metadata.name: Invalid value: \"{0}\": must be no more than 253 characters",
                "a".repeat(254)
            )
        );
    }

    #[test]
    fn pod_specs() {
        let cases = vec![
            (
                pod(json!({"containers": []})),
                "The Pod \"p\" is invalid: spec.containers: Required value",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[1].name: Duplicate value: \"a\"",
            ),
            (
                pod(json!({"containers": [{"name": "a"}]})),
                "The Pod \"p\" is invalid: spec.containers[0].image: Required value",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 70000, "protocol": "HTTP"}]}]}),
                ),
                "The Pod \"p\" is invalid: \n* spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ),
            (
                pod(
                    json!({"restartPolicy": "Sometimes", "containers": [{"name": "a", "image": "x"}]}),
                ),
                "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            ),
            (
                pod(
                    json!({"volumes": [{"name": "v"}, {"name": "v"}], "containers": [{"name": "a", "image": "x"}]}),
                ),
                "The Pod \"p\" is invalid: spec.volumes[1].name: Duplicate value: \"v\"",
            ),
            (
                pod(
                    json!({"containers": [{"name": "Web", "image": "x", "env": [{"name": "A=B"}]}]}),
                ),
                "The Pod \"p\" is invalid: \n* spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n* spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
    }

    /// Requests and limits compare exactly, as resource.Quantity does: hugepages must request
    /// what they limit, and `0.009` is `9m` (an f64 parser made them differ, 0.009 against
    /// 0.009000000000000001, and rejected the pod).
    #[test]
    fn quantities_compare_exactly() {
        let res = |req: &str, lim: &str| {
            pod(
                json!({"containers": [{"name": "a", "image": "x", "resources": {
                "requests": {"hugepages-2Mi": req, "memory": "1Gi", "cpu": "0.009"},
                "limits": {"hugepages-2Mi": lim, "memory": "1073741824", "cpu": "9m"}}}]}),
            )
        };
        assert_eq!(msg(res("0.009", "9m"), None), "");
        assert_eq!(
            msg(res("2Mi", "4Mi"), None),
            "The Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2Mi\": must be equal to hugepages-2Mi limit of 4Mi"
        );
    }

    #[test]
    fn workloads() {
        let no_sel = {
            let mut d = deploy("web");
            d["spec"].as_object_mut().unwrap().remove("selector");
            d
        };
        let cases = vec![
            (
                with(deploy("web"), "/spec/replicas", json!(-1)),
                "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0".to_string(),
            ),
            (
                with(deploy("web"), "/spec/selector", json!({"matchLabels": {"app": "other"}})),
                "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`".into(),
            ),
            (
                no_sel,
                "The Deployment \"web\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`".into(),
            ),
            (
                with(deploy("web"), "/spec/selector", json!({})),
                "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment".into(),
            ),
            (
                with(deploy("web"), "/spec/strategy", json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})),
                "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0".into(),
            ),
            (
                with(deploy("web"), "/spec/strategy", json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "150%"}})),
                "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%".into(),
            ),
            (
                with(deploy("web"), "/spec/template/spec/restartPolicy", json!("Never")),
                "The Deployment \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"".into(),
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
        // A selector LabelSelectorAsSelector refuses: upstream's "invalid label selector"
        // (util::selector decides), and no template check against it.
        let bad = msg(
            with(
                deploy("web"),
                "/spec/selector",
                json!({"matchExpressions": [{"key": "app", "operator": "Foo"}]}),
            ),
            None,
        );
        assert_eq!(
            bad,
            "The Deployment \"web\" is invalid: \n* spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator\n* spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"Foo\", Values:[]string(nil)}}}: invalid label selector"
        );
        // Immutable selector on update.
        let old = deploy("web");
        let mut new = with(
            deploy("web"),
            "/spec/selector",
            json!({"matchLabels": {"app": "web2"}}),
        );
        new.set("/spec/template/metadata/labels", json!({"app": "web2"}))
            .unwrap();
        assert_eq!(
            msg(new, Some(old)),
            "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        );
    }

    fn job(restart: &str) -> Value {
        json!({"kind": "Job", "metadata": {"name": "pi", "namespace": "d"},
            "spec": {"selector": {"matchLabels": {"x": "y"}}, "template": {"metadata": {"labels": {"x": "y"}},
                "spec": {"restartPolicy": restart, "containers": [{"name": "pi", "image": "perl"}]}}}})
    }

    #[test]
    fn jobs_and_cronjobs() {
        assert_eq!(msg(job("Never"), None), "");
        assert_eq!(
            msg(job("Always"), None),
            "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        );
        assert_eq!(
            msg(with(job("Never"), "/spec/backoffLimit", json!(-1)), None),
            "The Job \"pi\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"
        );
        let cj = |name: &str, sched: &str| {
            json!({"kind": "CronJob", "metadata": {"name": name, "namespace": "d"},
                "spec": {"schedule": sched, "jobTemplate": {"spec": {"template": {"spec": {
                    "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}}})
        };
        assert_eq!(msg(cj("c", "*/5 * * * *"), None), "");
        assert_eq!(msg(cj("c", "@hourly"), None), "");
        assert_eq!(
            msg(cj("c", "foo"), None),
            "The CronJob \"c\" is invalid: spec.schedule: Invalid value: \"foo\": expected exactly 5 fields, found 1: [foo]"
        );
        assert_eq!(
            msg(cj("c", "0 0 * * 7"), None),
            "The CronJob \"c\" is invalid: spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"
        );
        let long = "a".repeat(53);
        assert_eq!(
            msg(cj(&long, "* * * * *"), None),
            format!(
                "The CronJob \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 52 characters"
            )
        );
        // Job update: selector immutable.
        let old = job("Never");
        let new = with(
            job("Never"),
            "/spec/selector/matchLabels",
            json!({"x": "y", "z": "w"}),
        );
        let new = with(
            new,
            "/spec/template/metadata/labels",
            json!({"x": "y", "z": "w"}),
        );
        let m = msg(new, Some(old));
        assert!(m.contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"x\":\"y\", \"z\":\"w\"}"), "{m}");
        assert!(
            m.contains(
                "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
            ),
            "{m}"
        );
    }

    #[test]
    fn configmaps_and_secrets() {
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"bad key": "v"}});
        assert_eq!(
            msg(cm, None),
            "The ConfigMap \"c\" is invalid: data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        );
        let big = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"k": "x".repeat(1048577)}});
        assert_eq!(
            msg(big, None),
            "The ConfigMap \"c\" is invalid: : Too long: may not be more than 1048576 bytes"
        );
        let tls = json!({"kind": "Secret", "type": "kubernetes.io/tls", "metadata": {"name": "s", "namespace": "d"}, "data": {"tls.crt": "eA=="}});
        assert_eq!(
            msg(tls, None),
            "The Secret \"s\" is invalid: data[tls.key]: Required value"
        );
        let old = json!({"kind": "ConfigMap", "immutable": true, "metadata": {"name": "c", "namespace": "d"}, "data": {"a": "1"}});
        let new = json!({"kind": "ConfigMap", "immutable": true, "metadata": {"name": "c", "namespace": "d"}, "data": {"a": "2"}});
        assert_eq!(
            msg(new, Some(old)),
            "The ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set"
        );
    }

    #[test]
    fn services_and_storage() {
        let svc = json!({"kind": "Service", "metadata": {"name": "web", "namespace": "d"},
            "spec": {"ports": [{"port": 80}, {"port": 0, "name": "b"}]}});
        assert_eq!(
            msg(svc, None),
            "The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
        let pvc = json!({"kind": "PersistentVolumeClaim", "metadata": {"name": "c", "namespace": "d"}, "spec": {}});
        assert_eq!(
            msg(pvc, None),
            "The PersistentVolumeClaim \"c\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value"
        );
        let old = json!({"kind": "StorageClass", "metadata": {"name": "s"}, "provisioner": "a.io/x", "parameters": {"a": "1"}});
        let new = json!({"kind": "StorageClass", "metadata": {"name": "s"}, "provisioner": "a.io/x", "parameters": {"a": "2"}});
        assert_eq!(
            msg(new, Some(old)),
            "The StorageClass \"s\" is invalid: parameters: Forbidden: updates to parameters are forbidden."
        );
        let old_pod = pod(json!({"containers": [{"name": "a", "image": "x:1"}]}));
        let img = pod(json!({"containers": [{"name": "a", "image": "x:2"}]}));
        assert_eq!(msg(img, Some(old_pod.clone())), "");
        let port = pod(
            json!({"containers": [{"name": "a", "image": "x:1", "ports": [{"containerPort": 80}]}]}),
        );
        assert_eq!(
            msg(port, Some(old_pod)),
            format!(
                "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
            )
        );
    }

    #[test]
    fn warnings() {
        assert_eq!(
            crate::kinds::by_kind("Deployment")
                .unwrap()
                .name_warnings("web"),
            Vec::<String>::new()
        );
        assert_eq!(
            crate::kinds::by_kind("Deployment").unwrap().name_warnings("web.v1"),
            vec!["metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]".to_string()]
        );
        assert_eq!(
            crate::kinds::by_kind("Pod").unwrap().name_warnings("a.b"),
            vec!["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]".to_string()]
        );
        assert!(
            crate::kinds::by_kind("ConfigMap")
                .unwrap()
                .name_warnings("a.b")
                .is_empty()
        );
    }
}
