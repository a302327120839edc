//! kubectl's `create` generators beyond the workload ones of [`super::create`]: `create
//! priorityclass|role|clusterrole|rolebinding|clusterrolebinding|poddisruptionbudget|ingress|
//! serviceaccount` (staging/src/k8s.io/kubectl/pkg/cmd/create/create_*.go), each building the
//! object kubectl builds, with kubectl's errors.

use super::create::{CreateFlags, DataSources, Generated};
use super::{CliError, Ctx, Out};
use crate::kinds::role::GROUP as RBAC;
use crate::util::fields::Fields;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// pflag's `StringSlice`: every occurrence split at commas.
fn slice(v: &[String]) -> Vec<String> {
    v.iter()
        .filter(|s| !s.is_empty())
        .flat_map(|s| s.split(','))
        .map(str::to_string)
        .collect()
}

/// Keeps the first of each value, in order (kubectl's `arrayContains` loops).
fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// `NameFromCommandArgs`: exactly one NAME, or kubectl's usage error for `create <sub>`.
pub fn name_arg(sub: &str, names: Vec<String>) -> Result<String, CliError> {
    match <[String; 1]>::try_from(names) {
        Ok([name]) => Ok(name),
        Err(names) => Err(super::cobra::usage_error(
            &format!("create {sub}"),
            &format!("exactly one NAME is required, got {}", names.len()),
        )),
    }
}

/// The rule flags `create role` and `create clusterrole` share.
#[derive(Args, Debug, Clone)]
pub struct RuleFlags {
    /// Verb that applies to the resources contained in the rule
    #[arg(long)]
    verb: Vec<String>,
    /// Resource that the rule applies to
    #[arg(long)]
    resource: Vec<String>,
    /// Resource in the white list that the rule applies to, repeat this flag for multiple items
    #[arg(long)]
    resource_name: Vec<String>,
}

/// The subject flags of `create rolebinding` and `create clusterrolebinding`.
#[derive(Args, Debug, Clone)]
pub struct SubjectFlags {
    /// Usernames to bind to the role
    #[arg(long)]
    user: Vec<String>,
    /// Groups to bind to the role
    #[arg(long)]
    group: Vec<String>,
    /// Service accounts to bind to the role, in the format <namespace>:<name>
    #[arg(long)]
    serviceaccount: Vec<String>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum More {
    /// Create a service account with the specified name
    #[command(visible_alias = "sa")]
    Serviceaccount {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a pod disruption budget with the specified name
    #[command(visible_alias = "pdb")]
    Poddisruptionbudget {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// The minimum number or percentage of available pods this budget requires.
        #[arg(long, default_value = "")]
        min_available: String,
        /// The maximum number or percentage of unavailable pods this budget requires.
        #[arg(long, default_value = "")]
        max_unavailable: String,
        /// A label selector to use for this budget. Only equality-based selector requirements are supported.
        #[arg(long, default_value = "")]
        selector: String,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create an ingress with the specified name
    #[command(visible_alias = "ing")]
    Ingress {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// Ingress Class to be used
        #[arg(long, default_value = "")]
        class: String,
        /// Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.
        #[arg(long)]
        rule: Vec<String>,
        /// Default service for backend, in format of svcname:port
        #[arg(long, default_value = "")]
        default_backend: String,
        /// Annotation to insert in the ingress object, in the format annotation=value
        #[arg(long)]
        annotation: Vec<String>,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a role with single rule
    Role {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        #[command(flatten)]
        rule: RuleFlags,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a cluster role
    Clusterrole {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        #[command(flatten)]
        rule: RuleFlags,
        /// A partial url that user should have access to.
        #[arg(long)]
        non_resource_url: Vec<String>,
        /// An aggregation label selector for combining ClusterRoles.
        #[arg(long)]
        aggregation_rule: Vec<String>,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a role binding for a particular role or cluster role
    Rolebinding {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// ClusterRole this RoleBinding should reference
        #[arg(long, default_value = "")]
        clusterrole: String,
        /// Role this RoleBinding should reference
        #[arg(long, default_value = "")]
        role: String,
        #[command(flatten)]
        subjects: SubjectFlags,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a cluster role binding for a particular cluster role
    Clusterrolebinding {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// ClusterRole this ClusterRoleBinding should reference
        #[arg(long, required = true)]
        clusterrole: String,
        #[command(flatten)]
        subjects: SubjectFlags,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a priority class with the specified name
    #[command(visible_alias = "pc")]
    Priorityclass {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// the value of this priority class.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        value: i32,
        /// global-default specifies whether this PriorityClass should be considered as the default priority.
        #[arg(long)]
        global_default: bool,
        /// description is an arbitrary string that usually provides guidelines on when this priority class should be used.
        #[arg(long, default_value = "")]
        description: String,
        /// preemption-policy is the policy for preempting pods with lower priority.
        #[arg(long, default_value = "PreemptLowerPriority")]
        preemption_policy: String,
        #[command(flatten)]
        flags: CreateFlags,
    },
}

/// The object a generator of [`More`] builds; warnings go to `out`'s stderr.
// Long because: one arm per generator, as create.rs's `generate`.
pub fn generate(_ctx: &Ctx, g: More, out: &mut Out) -> Result<Generated, CliError> {
    Ok(match g {
        More::Serviceaccount { name, flags } => {
            let name = name_arg("serviceaccount", name)?;
            let obj = json!({"apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": {"creationTimestamp": null, "name": name}});
            (
                &crate::kinds::serviceaccount::KIND,
                obj,
                flags,
                Some("failed to create serviceaccount: "),
            )
        }
        More::Poddisruptionbudget {
            name,
            min_available,
            max_unavailable,
            selector,
            flags,
        } => {
            let name = name_arg("poddisruptionbudget", name)?;
            let obj = pod_disruption_budget(&name, &min_available, &max_unavailable, &selector)?;
            (
                &crate::kinds::poddisruptionbudget::KIND,
                obj,
                flags,
                Some("failed to create poddisruptionbudgets: "),
            )
        }
        More::Ingress {
            name,
            class,
            rule,
            default_backend,
            annotation,
            flags,
        } => {
            let name = name_arg("ingress", name)?;
            let obj = ingress(&name, &class, &rule, &default_backend, &annotation)?;
            (
                &crate::kinds::ingress::KIND,
                obj,
                flags,
                Some("failed to create ingress: "),
            )
        }
        More::Role { name, rule, flags } => {
            let name = name_arg("role", name)?;
            let rule = Rule::complete(rule, Vec::new());
            rule.validate_role(out)?;
            let obj = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                             "metadata": {"creationTimestamp": null, "name": name},
                             "rules": rule.policy_rules()?});
            (&crate::kinds::role::KIND, obj, flags, None)
        }
        More::Clusterrole {
            name,
            rule,
            non_resource_url,
            aggregation_rule,
            flags,
        } => {
            let name = name_arg("clusterrole", name)?;
            let rule = Rule::complete(rule, dedup(slice(&non_resource_url)));
            let aggregation = map_string_string(&aggregation_rule)?;
            let mut obj = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                 "metadata": {"creationTimestamp": null, "name": name}});
            if aggregation.is_empty() {
                rule.validate_cluster_role(out)?;
                obj.set("/rules", Value::Array(rule.policy_rules()?))?;
            } else {
                if !rule.non_resource_urls.is_empty()
                    || !rule.verbs.is_empty()
                    || !rule.resources.is_empty()
                    || !rule.resource_names.is_empty()
                {
                    return Err(CliError::msg(
                        "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
                    ));
                }
                obj.set("/rules", Value::Null)?;
                obj.set(
                    "/aggregationRule",
                    json!({"clusterRoleSelectors": [{"matchLabels": aggregation}]}),
                )?;
            }
            (&crate::kinds::clusterrole::KIND, obj, flags, None)
        }
        More::Rolebinding {
            name,
            clusterrole,
            role,
            subjects,
            flags,
        } => {
            let name = name_arg("rolebinding", name)?;
            if clusterrole.is_empty() == role.is_empty() {
                return Err(CliError::msg(
                    "exactly one of clusterrole or role must be specified",
                ));
            }
            let (kind, role_name) = if role.is_empty() {
                ("ClusterRole", clusterrole)
            } else {
                ("Role", role)
            };
            let mut obj = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                                 "metadata": {"creationTimestamp": null, "name": name},
                                 "roleRef": {"apiGroup": RBAC, "kind": kind, "name": role_name}});
            add_subjects(&mut obj, &subjects)?;
            (
                &crate::kinds::rolebinding::KIND,
                obj,
                flags,
                Some("failed to create rolebinding: "),
            )
        }
        More::Clusterrolebinding {
            name,
            clusterrole,
            subjects,
            flags,
        } => {
            let name = name_arg("clusterrolebinding", name)?;
            let mut obj = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                                 "metadata": {"creationTimestamp": null, "name": name},
                                 "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": clusterrole}});
            add_subjects(&mut obj, &subjects)?;
            (
                &crate::kinds::clusterrolebinding::KIND,
                obj,
                flags,
                Some("failed to create clusterrolebinding: "),
            )
        }
        More::Priorityclass {
            name,
            value,
            global_default,
            description,
            preemption_policy,
            flags,
        } => {
            let name = name_arg("priorityclass", name)?;
            let mut obj = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                 "metadata": {"creationTimestamp": null, "name": name},
                                 "value": value, "preemptionPolicy": preemption_policy});
            if global_default {
                obj.set("/globalDefault", json!(true))?;
            }
            if !description.is_empty() {
                obj.set("/description", json!(description))?;
            }
            (
                &crate::kinds::priorityclass::KIND,
                obj,
                flags,
                Some("failed to create priorityclass: "),
            )
        }
    })
}

/// `cliflag.NewMapStringString`: `k=v` pairs, comma-separated, over every occurrence.
fn map_string_string(v: &[String]) -> Result<serde_json::Map<String, Value>, CliError> {
    let mut m = serde_json::Map::new();
    for pair in v.iter().flat_map(|s| s.split(',')) {
        let (k, val) = pair.split_once('=').ok_or_else(|| {
            CliError::msg(format!(
                "invalid argument {:?} for \"--aggregation-rule\" flag: malformed pair, expect string=string",
                v.join(",")
            ))
        })?;
        m.insert(k.trim().to_string(), json!(val.trim()));
    }
    Ok(m)
}

/// The `User`, `Group` and `ServiceAccount` subjects of a binding, in that order.
fn add_subjects(obj: &mut Value, s: &SubjectFlags) -> Result<(), CliError> {
    let mut subjects = Vec::new();
    for u in &s.user {
        subjects.push(json!({"kind": "User", "apiGroup": RBAC, "name": u}));
    }
    for g in &s.group {
        subjects.push(json!({"kind": "Group", "apiGroup": RBAC, "name": g}));
    }
    for sa in &s.serviceaccount {
        let tokens: Vec<&str> = sa.split(':').collect();
        match tokens[..] {
            [ns, name] if !ns.is_empty() && !name.is_empty() => {
                subjects.push(json!({"kind": "ServiceAccount", "name": name, "namespace": ns}));
            }
            _ => return Err(CliError::msg("serviceaccount must be <namespace>:<name>")),
        }
    }
    if !subjects.is_empty() {
        obj.set("/subjects", Value::Array(subjects))?;
    }
    Ok(())
}

/// create_role.go's `validResourceVerbs`.
const VALID_RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// create_clusterrole.go's `validNonResourceVerbs`.
const VALID_NON_RESOURCE_VERBS: &[&str] = &[
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

/// create_role.go's `specialVerbs`: verbs that only apply to these (group, resource)s.
const SPECIAL_VERBS: &[(&str, &[(&str, &str)])] = &[
    (
        "use",
        &[
            ("policy", "podsecuritypolicies"),
            ("extensions", "podsecuritypolicies"),
        ],
    ),
    ("bind", &[(RBAC, "roles"), (RBAC, "clusterroles")]),
    ("escalate", &[(RBAC, "roles"), (RBAC, "clusterroles")]),
    (
        "impersonate",
        &[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
        ],
    ),
];

/// One `--resource`: `resource.group/subresource`.
#[derive(Debug, Clone)]
struct ResourceArg {
    group: String,
    resource: String,
    sub: String,
}

/// The rule `create role` and `create clusterrole` build, after `Complete`.
struct Rule {
    verbs: Vec<String>,
    resources: Vec<ResourceArg>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

impl Rule {
    /// `CreateRoleOptions.Complete`: verbs deduplicated (`*` alone wins), resources split,
    /// resource names deduplicated.
    fn complete(f: RuleFlags, non_resource_urls: Vec<String>) -> Rule {
        let mut verbs = Vec::new();
        for v in slice(&f.verb) {
            if v == "*" {
                verbs = vec![v];
                break;
            }
            if !verbs.contains(&v) {
                verbs.push(v);
            }
        }
        let mut resources = Vec::new();
        for r in slice(&f.resource) {
            let (head, sub) = match r.split_once('/') {
                Some((h, s)) => (h.to_string(), s.to_string()),
                None => (r.clone(), String::new()),
            };
            let (resource, group) = match head.split_once('.') {
                Some((res, g)) => (res.to_string(), g.to_string()),
                None => (head.clone(), String::new()),
            };
            let arg = ResourceArg {
                group,
                resource,
                sub,
            };
            if arg.resource == "*" && !head.contains('.') && !r.contains('/') {
                resources = vec![arg];
                break;
            }
            resources.push(arg);
        }
        Rule {
            verbs,
            resources,
            resource_names: dedup(f.resource_name),
            non_resource_urls,
        }
    }

    fn warn_nonstandard_verbs(&self, out: &mut Out) {
        for v in &self.verbs {
            if !VALID_RESOURCE_VERBS.contains(&v.as_str()) {
                out.warn(&format!("'{v}' is not a standard resource verb"));
            }
        }
    }

    /// `CreateRoleOptions.Validate`.
    fn validate_role(&self, out: &mut Out) -> Result<(), CliError> {
        if self.verbs.is_empty() {
            return Err(CliError::msg("at least one verb must be specified"));
        }
        self.warn_nonstandard_verbs(out);
        if self.resources.is_empty() {
            return Err(CliError::msg("at least one resource must be specified"));
        }
        self.validate_resources()
    }

    /// `CreateClusterRoleOptions.Validate` (without an aggregation rule).
    fn validate_cluster_role(&self, out: &mut Out) -> Result<(), CliError> {
        if self.verbs.is_empty() {
            return Err(CliError::msg("at least one verb must be specified"));
        }
        if self.resources.is_empty() && self.non_resource_urls.is_empty() {
            return Err(CliError::msg(
                "one of resource or nonResourceURL must be specified",
            ));
        }
        if !self.resources.is_empty() {
            self.warn_nonstandard_verbs(out);
            self.validate_resources()?;
        }
        if !self.non_resource_urls.is_empty() {
            if let Some(v) = self
                .verbs
                .iter()
                .find(|v| !VALID_NON_RESOURCE_VERBS.contains(&v.as_str()))
            {
                return Err(CliError::msg(format!(
                    "invalid verb: '{v}' for nonResourceURL"
                )));
            }
            for u in self.non_resource_urls.iter().filter(|u| *u != "*") {
                if !u.starts_with('/') {
                    return Err(CliError::msg("nonResourceURL should start with /"));
                }
                if u[..u.len() - 1].contains('*') {
                    return Err(CliError::msg(
                        "nonResourceURL only supports wildcard matches when '*' is at the end",
                    ));
                }
            }
        }
        Ok(())
    }

    /// `validateResource`: each resource known to discovery (or one a special verb names).
    fn validate_resources(&self) -> Result<(), CliError> {
        for r in &self.resources {
            if r.resource.is_empty() {
                return Err(CliError::msg(
                    "resource must be specified if apiGroup/subresource specified",
                ));
            }
            if r.resource == "*" {
                return Ok(());
            }
            let (resolved, mut err) = match resource_for(&r.resource, &r.group) {
                Ok(gr) => (gr, None),
                Err(e) => ((r.group.clone(), r.resource.clone()), Some(e)),
            };
            for v in &self.verbs {
                if let Some((_, allowed)) = SPECIAL_VERBS.iter().find(|(sv, _)| sv == v) {
                    if allowed
                        .iter()
                        .any(|(g, res)| *g == resolved.0 && *res == resolved.1)
                    {
                        err = None;
                    } else {
                        return Err(CliError::msg(format!(
                            "can not perform '{v}' on '{}' in group '{}'",
                            resolved.1, resolved.0
                        )));
                    }
                }
            }
            if let Some(e) = err {
                return Err(e);
            }
        }
        Ok(())
    }

    /// `generateResourcePolicyRules`: one rule per API group (groups sorted), then one for the
    /// non-resource URLs.
    fn policy_rules(&self) -> Result<Vec<Value>, CliError> {
        let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in &self.resources {
            let (group, mut resource) = resource_for(&r.resource, &r.group)
                .unwrap_or_else(|_| (r.group.clone(), r.resource.clone()));
            if !r.sub.is_empty() {
                resource = format!("{resource}/{}", r.sub);
            }
            let list = groups.entry(group).or_default();
            if !list.contains(&resource) {
                list.push(resource);
            }
        }
        let mut rules = Vec::new();
        for (g, resources) in groups {
            let mut rule = json!({"verbs": self.verbs, "apiGroups": [g], "resources": resources});
            if !self.resource_names.is_empty() {
                rule.set("/resourceNames", json!(self.resource_names))?;
            }
            rules.push(rule);
        }
        if !self.non_resource_urls.is_empty() {
            rules.push(json!({"verbs": self.verbs, "nonResourceURLs": self.non_resource_urls}));
        }
        Ok(rules)
    }
}

/// The RESTMapper's `ResourceFor` over kubesim's discovery (with kubectl's short-name
/// expansion): the (group, plural) of a resource named by plural, singular or short name, or
/// kubectl's error for a type the server does not have.
fn resource_for(resource: &str, group: &str) -> Result<(String, String), CliError> {
    let lower = resource.to_ascii_lowercase();
    crate::kinds::KINDS
        .iter()
        .find(|k| {
            (group.is_empty() || k.group == group)
                && (k.plural == lower
                    || k.singular == lower
                    || k.short_names.contains(&lower.as_str()))
        })
        .map(|k| (k.group.to_string(), k.plural.to_string()))
        .ok_or_else(|| {
            CliError::msg(if group.is_empty() {
                format!("the server doesn't have a resource type \"{lower}\"")
            } else {
                format!("the server doesn't have a resource type \"{lower}\" in group \"{group}\"")
            })
        })
}

/// `PodDisruptionBudgetOpts.Validate` and `createPodDisruptionBudgets`.
fn pod_disruption_budget(
    name: &str,
    min: &str,
    max: &str,
    selector: &str,
) -> Result<Value, CliError> {
    if selector.is_empty() {
        return Err(CliError::msg("a selector must be specified"));
    }
    if min.is_empty() && max.is_empty() {
        return Err(CliError::msg(
            "one of min-available or max-unavailable must be specified",
        ));
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(CliError::msg(
            "min-available and max-unavailable cannot be both specified",
        ));
    }
    // `^[0-9]+%?$`
    let valid = |s: &str| {
        let digits = s.strip_suffix('%').unwrap_or(s);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !min.is_empty() && !valid(min) {
        return Err(CliError::msg("invalid format specified for min-available"));
    }
    if !max.is_empty() && !valid(max) {
        return Err(CliError::msg(
            "invalid format specified for max-unavailable",
        ));
    }
    let sel = crate::util::selector::Selector::parse_to_label_selector(selector)
        .map_err(CliError::msg)?;
    // `intstr.Parse`: an int32 when it parses as one, else the string.
    let iop = |s: &str| s.parse::<i32>().map_or_else(|_| json!(s), |n| json!(n));
    let mut spec = json!({"selector": sel});
    if !min.is_empty() {
        spec.set("/minAvailable", iop(min))?;
    } else {
        spec.set("/maxUnavailable", iop(max))?;
    }
    Ok(
        json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
              "metadata": {"creationTimestamp": null, "name": name}, "spec": spec,
              "status": {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}}),
    )
}

/// `CreateIngressOptions.Validate` and `createIngress`.
fn ingress(
    name: &str,
    class: &str,
    rules: &[String],
    default_backend: &str,
    annotations: &[String],
) -> Result<Value, CliError> {
    if default_backend.is_empty() && rules.is_empty() {
        return Err(CliError::msg(
            "not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)",
        ));
    }
    if let Some(bad) = rules.iter().find(|r| !ingress_rule_matches(r)) {
        return Err(CliError::msg(format!(
            "rule {bad} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]"
        )));
    }
    let mut annotation_map = serde_json::Map::new();
    for a in annotations {
        let (k, v) = a.split_once('=').ok_or_else(|| {
            CliError::msg(format!(
                "annotation {a} is invalid and should be in format key=[value]"
            ))
        })?;
        annotation_map.insert(k.to_string(), json!(v));
    }
    if !default_backend.is_empty() && default_backend.split(':').count() != 2 {
        return Err(CliError::msg(
            "default-backend should be in format servicename:serviceport",
        ));
    }
    let mut spec = serde_json::Map::new();
    if !class.is_empty() {
        spec.insert("ingressClassName".into(), json!(class));
    }
    if !default_backend.is_empty() {
        spec.insert("defaultBackend".into(), ingress_backend(default_backend));
    }
    let tls = ingress_tls(rules);
    if !tls.is_empty() {
        spec.insert("tls".into(), Value::Array(tls));
    }
    // `buildIngressRules`: one rule per host, its paths in order.
    let mut http_rules: Vec<(String, Vec<Value>)> = Vec::new();
    for rule in rules {
        let without_tls = rule.split(',').next().unwrap_or("");
        let (host, rest) = without_tls.split_once('/').unwrap_or((without_tls, ""));
        let mut parts = rest.split('=');
        let mut path = format!("/{}", parts.next().unwrap_or(""));
        let service = parts.next().unwrap_or("");
        let path_type = match path.strip_suffix('*') {
            Some(p) => {
                path = p.to_string();
                "Prefix"
            }
            None => "Exact",
        };
        let p = json!({"path": path, "pathType": path_type, "backend": ingress_backend(service)});
        match http_rules.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(p),
            None => http_rules.push((host.to_string(), vec![p])),
        }
    }
    if !http_rules.is_empty() {
        let rules = http_rules.into_iter().map(|(host, paths)| {
            let mut r = json!({"http": {"paths": paths}});
            if !host.is_empty() {
                // `r` was built as an object just above.
                let _ = r.set("/host", json!(host));
            }
            r
        });
        spec.insert("rules".into(), Value::Array(rules.collect()));
    }
    let mut metadata = json!({"creationTimestamp": null, "name": name});
    if !annotation_map.is_empty() {
        metadata.set("/annotations", Value::Object(annotation_map))?;
    }
    Ok(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata,
              "spec": spec, "status": {"loadBalancer": {}}}),
    )
}

/// `buildTLSRules`: each host once, hosts sharing a secret in one entry.
fn ingress_tls(rules: &[String]) -> Vec<Value> {
    let mut tls: Vec<(Vec<String>, String)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for rule in rules {
        let parts: Vec<&str> = rule.split(',').collect();
        if parts.len() != 2 {
            continue;
        }
        let host = rule.split('/').next().unwrap_or("");
        let secret = parts[1].split('=').nth(1).unwrap_or("");
        if seen.contains(&host) {
            continue;
        }
        seen.push(host);
        if let Some((hosts, _)) = tls.iter_mut().find(|(_, s)| s == secret) {
            hosts.push(host.to_string());
            continue;
        }
        if !host.is_empty() || !secret.is_empty() {
            let hosts = if host.is_empty() {
                Vec::new()
            } else {
                vec![host.to_string()]
            };
            tls.push((hosts, secret.to_string()));
        }
    }
    tls.into_iter()
        .map(|(hosts, secret)| {
            let mut t = serde_json::Map::new();
            if !hosts.is_empty() {
                t.insert("hosts".into(), json!(hosts));
            }
            if !secret.is_empty() {
                t.insert("secretName".into(), json!(secret));
            }
            Value::Object(t)
        })
        .collect()
}

/// `buildIngressBackendSvc`: `svc:port`, the port a number when `strconv.Atoi` takes it.
fn ingress_backend(service: &str) -> Value {
    let mut parts = service.split(':');
    let name = parts.next().unwrap_or("");
    let port = parts.next().unwrap_or("");
    let port = match port.parse::<i64>() {
        Ok(0) => json!({}),
        // `intstr.FromInt` keeps the low 32 bits.
        Ok(n) => json!({"number": n as i32}),
        Err(_) if port.is_empty() => json!({}),
        Err(_) => json!({"name": port}),
    };
    json!({"service": {"name": name, "port": port}})
}

/// `ruleRegex`: `^[\w*\-.]*/[^,=\n]*=[\w\-]+:[\w\-]+(,tls=?[\w\-]*)?$`, each part of
/// which ends at a character the next one needs, so one left-to-right scan decides it.
fn ingress_rule_matches(rule: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let take = |s: &str, ok: &dyn Fn(char) -> bool| -> (usize, String) {
        let n = s.find(|c: char| !ok(c)).unwrap_or(s.len());
        (n, s[n..].to_string())
    };
    let (_, rest) = take(rule, &|c| word(c) || c == '*' || c == '.');
    let Some(rest) = rest.strip_prefix('/') else {
        return false;
    };
    let (_, rest) = take(rest, &|c| !matches!(c, ',' | '=' | '\n'));
    let Some(rest) = rest.strip_prefix('=') else {
        return false;
    };
    let (n, rest) = take(rest, &word);
    let Some(rest) = rest.strip_prefix(':').filter(|_| n > 0) else {
        return false;
    };
    let (n, rest) = take(rest, &word);
    if n == 0 {
        return false;
    }
    match rest.strip_prefix(",tls") {
        _ if rest.is_empty() => true,
        Some(secret) => {
            let secret = secret.strip_prefix('=').unwrap_or(secret);
            secret.chars().all(word)
        }
        None => false,
    }
}

#[derive(Subcommand, Debug, Clone)]
pub enum SecretMore {
    /// Create a TLS secret
    Tls {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// Path to PEM encoded public key certificate.
        #[arg(long, default_value = "")]
        cert: String,
        /// Path to private key associated with given certificate.
        #[arg(long, default_value = "")]
        key: String,
        /// Append a hash of the secret to its name.
        #[arg(long)]
        append_hash: bool,
        #[command(flatten)]
        flags: CreateFlags,
    },
    /// Create a secret for use with a Docker registry
    DockerRegistry {
        #[arg(value_name = "NAME")]
        name: Vec<String>,
        /// Username for Docker registry authentication
        #[arg(long, default_value = "")]
        docker_username: String,
        /// Password for Docker registry authentication
        #[arg(long, default_value = "")]
        docker_password: String,
        /// Email for Docker registry
        #[arg(long, default_value = "")]
        docker_email: String,
        /// Server location for Docker registry
        #[arg(long, default_value = "https://index.docker.io/v1/")]
        docker_server: String,
        /// Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.
        #[arg(long)]
        from_file: Vec<String>,
        /// Append a hash of the secret to its name.
        #[arg(long)]
        append_hash: bool,
        #[command(flatten)]
        flags: CreateFlags,
    },
}

fn b64(data: &[u8]) -> Value {
    use base64::Engine;
    json!(base64::engine::general_purpose::STANDARD.encode(data))
}

/// `create secret tls` and `create secret docker-registry`.
pub fn generate_secret(g: SecretMore) -> Result<Generated, CliError> {
    let (obj, flags, append) = match g {
        SecretMore::Tls {
            name,
            cert,
            key,
            append_hash,
            flags,
        } => {
            let name = name_arg("secret tls", name)?;
            if cert.is_empty() || key.is_empty() {
                return Err(CliError::msg("key and cert must be specified"));
            }
            let read = |f: &str| {
                super::read_file_limited(std::path::Path::new(f)).map_err(|e| {
                    let why = match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                        _ => e.to_string(),
                    };
                    CliError::msg(format!("Cannot read file {f}, open {f}: {why}"))
                })
            };
            let (c, k) = (read(&cert)?, read(&key)?);
            x509_key_pair_pem(&c, &k).map_err(CliError::msg)?;
            let obj = json!({"apiVersion": "v1", "kind": "Secret",
                             "metadata": {"creationTimestamp": null, "name": name},
                             "data": {"tls.crt": b64(&c), "tls.key": b64(&k)},
                             "type": "kubernetes.io/tls"});
            (obj, flags, append_hash)
        }
        SecretMore::DockerRegistry {
            name,
            docker_username: user,
            docker_password: password,
            docker_email: email,
            docker_server: server,
            from_file,
            append_hash,
            flags,
        } => {
            let name = name_arg("secret docker-registry", name)?;
            let from_file = slice(&from_file);
            if from_file.is_empty() && (user.is_empty() || password.is_empty() || server.is_empty())
            {
                return Err(CliError::msg(
                    "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required",
                ));
            }
            let data = if from_file.is_empty() {
                // Go's json.Marshal of DockerConfigJSON: struct field order, empty fields
                // left out, HTML-safe escapes.
                let auth = b64(format!("{user}:{password}").as_bytes());
                let auth = auth.as_str().unwrap_or("");
                let fields: Vec<String> = [
                    ("username", user.as_str()),
                    ("password", password.as_str()),
                    ("email", email.as_str()),
                    ("auth", auth),
                ]
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("\"{k}\":{}", serde_json::to_string(v).expect("string")))
                .collect();
                let text = format!(
                    "{{\"auths\":{{{}:{{{}}}}}}}",
                    serde_json::to_string(&server).expect("string"),
                    fields.join(",")
                );
                let text = crate::print::output::go_json_escapes(text);
                json!({".dockerconfigjson": b64(text.as_bytes())})
            } else {
                let sources = DataSources {
                    from_literal: Vec::new(),
                    from_file: from_file
                        .iter()
                        .map(|f| {
                            if f.contains('=') || std::path::Path::new(f).is_dir() {
                                f.clone()
                            } else {
                                format!(".dockerconfigjson={f}")
                            }
                        })
                        .collect(),
                    from_env_file: Vec::new(),
                };
                let d = super::create::collect_data(&sources, "Secret", &name)?;
                Value::Object(d.into_iter().map(|(k, v)| (k, b64(&v))).collect())
            };
            let obj = json!({"apiVersion": "v1", "kind": "Secret",
                             "metadata": {"creationTimestamp": null, "name": name},
                             "data": data, "type": "kubernetes.io/dockerconfigjson"});
            (obj, flags, append_hash)
        }
    };
    let mut obj = obj;
    if append {
        append_hash(&mut obj)?;
    }
    Ok((
        &crate::kinds::secret::KIND,
        obj,
        flags,
        Some("failed to create secret "),
    ))
}

/// The part of `tls.X509KeyPair` that reads the PEM blocks: the certificate input must hold a
/// CERTIFICATE block and the key input a private key, with crypto/tls's errors. (Whether the
/// key matches the certificate is not checked.)
fn x509_key_pair_pem(cert: &[u8], key: &[u8]) -> Result<(), String> {
    let blocks = |data: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(data)
            .lines()
            .filter_map(|l| l.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
            .map(str::to_string)
            .collect()
    };
    let (cb, kb) = (blocks(cert), blocks(key));
    if !cb.iter().any(|b| b == "CERTIFICATE") {
        if cb.is_empty() {
            return Err("tls: failed to find any PEM data in certificate input".into());
        }
        if cb.iter().any(|b| b.ends_with("PRIVATE KEY")) {
            return Err("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".into());
        }
        return Err("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [".to_string()
            + &cb.join(" ")
            + "]");
    }
    if kb.is_empty() {
        return Err("tls: failed to find any PEM data in key input".into());
    }
    if !kb
        .iter()
        .any(|b| b == "PRIVATE KEY" || b.ends_with(" PRIVATE KEY"))
    {
        if kb.iter().any(|b| b == "CERTIFICATE") {
            return Err(
                "tls: found a certificate rather than a key in the PEM for the private key".into(),
            );
        }
        return Err("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [".to_string()
            + &kb.join(" ")
            + "]");
    }
    Ok(())
}

/// `--append-hash` (kubectl/pkg/util/hash): the name gets `-` and ten characters of the
/// SHA-256 of the object's kind, name, data (and a Secret's type, a ConfigMap's binaryData)
/// as Go's json.Marshal writes that map, vowel-like hex digits mapped to consonants.
pub fn append_hash(obj: &mut Value) -> Result<(), CliError> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let data = obj.get("data").cloned().unwrap_or(json!({}));
    let mut m = serde_json::Map::new();
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(name));
    m.insert("data".into(), data);
    if kind == crate::kinds::secret::NAME {
        m.insert("type".into(), obj.get("type").cloned().unwrap_or(json!("")));
    } else if let Some(b) = obj.get("binaryData") {
        m.insert("binaryData".into(), b.clone());
    }
    let text = crate::print::output::go_json_escapes(
        serde_json::to_string(&Value::Object(m)).expect("json"),
    );
    let hex = crate::util::sha256::hex_digest(text.as_bytes());
    let hash: String = hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect();
    obj.set("/metadata/name", json!(format!("{name}-{hash}")))?;
    Ok(())
}
