//! The kubeconfig kubesim shows: there is no kubeconfig file, the state directory is the
//! cluster, so `kubectl config` works on a kubeconfig synthesized as `kind create cluster`
//! writes it — cluster `kind-kind` at [`SERVER`], user `kind-kind` with a client
//! certificate, context `kind-kind` naming both and current — plus what the user set with
//! `config set-context`/`use-context`/`rename-context`/`delete-context`, kept in the state's
//! manifest (`meta.json`, setting [`SETTING`]). The cluster and the user are fixed: kubesim
//! simulates one cluster and one user.
//!
//! The certificates are a CA (`CN=kubernetes`) and a client certificate signed by it
//! (`O=kubeadm:cluster-admins, CN=kubernetes-admin`), made once for kubesim with openssl
//! (RSA 2048, ten years): real PEM data, so the kubeconfig `config view --raw` prints is one
//! kubectl loads. They secure nothing — nothing listens at [`SERVER`].

use crate::cli::CliError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The one cluster's, user's and first context's name, as kind names them.
pub const NAME: &str = "kind-kind";
/// Where the API server would listen: kind maps it to a random port of 127.0.0.1; kubesim's
/// is fixed, so the same state prints the same kubeconfig everywhere.
pub const SERVER: &str = "https://127.0.0.1:41285";
/// The manifest setting that holds the contexts once the user changed them (JSON text).
pub const SETTING: &str = "kubeconfig";

const CA_CRT: &str = include_str!("ca.crt");
const CLIENT_CRT: &str = include_str!("client.crt");
const CLIENT_KEY: &str = include_str!("client.key");

/// One context: which cluster, which user, which namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    #[serde(default)]
    pub cluster: String,
    #[serde(default)]
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

impl Context {
    /// kind's context: the cluster and the user, no namespace.
    fn kind() -> Context {
        Context {
            cluster: NAME.to_string(),
            user: NAME.to_string(),
            namespace: String::new(),
        }
    }
}

/// What of the kubeconfig may change: its contexts and which one is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubeConfig {
    #[serde(rename = "current-context", default)]
    pub current_context: String,
    #[serde(default)]
    pub contexts: BTreeMap<String, Context>,
}

impl Default for KubeConfig {
    /// What kind writes: one context, current.
    fn default() -> Self {
        KubeConfig {
            current_context: NAME.to_string(),
            contexts: BTreeMap::from([(NAME.to_string(), Context::kind())]),
        }
    }
}

impl KubeConfig {
    /// The kubeconfig a state's settings hold (kind's when they hold none).
    pub fn from_settings(settings: &BTreeMap<String, String>) -> Result<KubeConfig, String> {
        match settings.get(SETTING) {
            None => Ok(KubeConfig::default()),
            Some(text) => serde_json::from_str(text).map_err(|e| format!("{SETTING}: {e}")),
        }
    }

    /// Writes it into the settings (removing the setting when it is kind's again, so a state
    /// whose user undid a change reads as one never changed).
    pub fn to_settings(&self, settings: &mut BTreeMap<String, String>) {
        if *self == KubeConfig::default() {
            settings.remove(SETTING);
        } else {
            let text = serde_json::to_string(self).expect("serializable");
            settings.insert(SETTING.to_string(), text);
        }
    }

    /// The kubeconfig of the state at `dir`, read without creating a state (none yet: kind's).
    pub fn load(dir: &Path) -> Result<KubeConfig, CliError> {
        let Some(settings) = crate::store::peek_settings(dir)? else {
            return Ok(KubeConfig::default());
        };
        KubeConfig::from_settings(&settings).map_err(|e| {
            CliError::msg(format!(
                "the state at {} is corrupt ({}: {e}); run `kubesim reset` to start over",
                dir.display(),
                dir.join("meta.json").display()
            ))
        })
    }

    /// The namespace a command works in when `-n` does not say: the current context's, or
    /// `default` (kubeconfig's rule, clientcmd's `Namespace()`). A current context that does
    /// not exist, or that names another cluster or user than kubesim's, is kubectl's
    /// configuration error.
    pub fn namespace(&self) -> Result<String, CliError> {
        let name = &self.current_context;
        let Some(ctx) = self.contexts.get(name).filter(|_| !name.is_empty()) else {
            if name.is_empty() {
                return Ok("default".to_string());
            }
            return Err(CliError::raw(format!(
                "Error in configuration: context was not found for specified context: {name}"
            )));
        };
        if ctx.cluster != NAME || ctx.user != NAME {
            return Err(CliError::msg(format!(
                "the current context \"{name}\" names cluster {:?} and user {:?}; kubesim has one cluster and one user, both \"{NAME}\" (run `kubesim config set-context {name} --cluster={NAME} --user={NAME}`, or `kubesim config use-context {NAME}`)",
                ctx.cluster, ctx.user
            )));
        }
        Ok(if ctx.namespace.is_empty() {
            "default".to_string()
        } else {
            ctx.namespace.clone()
        })
    }

    /// The kubeconfig as `kubectl config view` prints it: `minify` keeps the current
    /// context and what it names; without `raw` the certificate data reads `DATA+OMITTED`.
    pub fn view(&self, minify: bool, raw: bool) -> Result<View, CliError> {
        let data = |pem: &str| {
            if raw {
                base64_std(pem.as_bytes())
            } else {
                "DATA+OMITTED".to_string()
            }
        };
        let mut contexts: Vec<(&String, &Context)> = self.contexts.iter().collect();
        let mut cluster = true;
        let mut user = true;
        if minify {
            let cur = &self.current_context;
            if cur.is_empty() {
                return Err(CliError::msg(
                    "current-context must exist in order to minify",
                ));
            }
            let Some(ctx) = self.contexts.get(cur) else {
                return Err(CliError::msg(format!("cannot locate context {cur}")));
            };
            for (given, what, keep) in [
                (&ctx.cluster, "cluster", &mut cluster),
                (&ctx.user, "user", &mut user),
            ] {
                *keep = !given.is_empty();
                if *keep && given != NAME {
                    return Err(CliError::msg(format!("cannot locate {what} {given}")));
                }
            }
            contexts.retain(|(n, _)| *n == cur);
        }
        Ok(View {
            kind: "Config",
            api_version: "v1",
            preferences: Preferences {},
            clusters: cluster.then(|| {
                vec![NamedCluster {
                    name: NAME.to_string(),
                    cluster: Cluster {
                        server: SERVER.to_string(),
                        certificate_authority_data: data(CA_CRT),
                    },
                }]
            }),
            users: user.then(|| {
                vec![NamedUser {
                    name: NAME.to_string(),
                    user: User {
                        client_certificate_data: data(CLIENT_CRT),
                        client_key_data: data(CLIENT_KEY),
                    },
                }]
            }),
            contexts: (!contexts.is_empty()).then(|| {
                contexts
                    .into_iter()
                    .map(|(n, c)| NamedContext {
                        name: n.clone(),
                        context: c.clone(),
                    })
                    .collect()
            }),
            current_context: self.current_context.clone(),
        })
    }
}

/// Go's `base64.StdEncoding` (what a `[]byte` field marshals to).
fn base64_std(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// clientcmd's v1 `Config`, its fields in Go's order (what `-o json` prints; YAML sorts).
#[derive(Debug, Serialize)]
pub struct View {
    pub kind: &'static str,
    #[serde(rename = "apiVersion")]
    pub api_version: &'static str,
    pub preferences: Preferences,
    pub clusters: Option<Vec<NamedCluster>>,
    pub users: Option<Vec<NamedUser>>,
    pub contexts: Option<Vec<NamedContext>>,
    #[serde(rename = "current-context")]
    pub current_context: String,
}

#[derive(Debug, Serialize)]
pub struct Preferences {}

#[derive(Debug, Serialize)]
pub struct NamedCluster {
    pub name: String,
    pub cluster: Cluster,
}

#[derive(Debug, Serialize)]
pub struct Cluster {
    pub server: String,
    #[serde(rename = "certificate-authority-data")]
    pub certificate_authority_data: String,
}

#[derive(Debug, Serialize)]
pub struct NamedUser {
    pub name: String,
    pub user: User,
}

#[derive(Debug, Serialize)]
pub struct User {
    #[serde(rename = "client-certificate-data")]
    pub client_certificate_data: String,
    #[serde(rename = "client-key-data")]
    pub client_key_data: String,
}

#[derive(Debug, Serialize)]
pub struct NamedContext {
    pub name: String,
    pub context: ContextView,
}

/// A context as v1 prints it: `cluster` and `user` always, `namespace` when set.
pub type ContextView = Context;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_kubeconfig_until_the_user_changes_it() {
        let mut settings = BTreeMap::new();
        let k = KubeConfig::from_settings(&settings).unwrap();
        assert_eq!(k, KubeConfig::default());
        assert_eq!(k.namespace().unwrap(), "default");
        let mut changed = k.clone();
        changed.contexts.get_mut(NAME).unwrap().namespace = "dev".into();
        changed.to_settings(&mut settings);
        let back = KubeConfig::from_settings(&settings).unwrap();
        assert_eq!(back.namespace().unwrap(), "dev");
        // Back to kind's: the setting goes, as if never set.
        k.to_settings(&mut settings);
        assert!(settings.is_empty());
        settings.insert(SETTING.into(), "{not json".into());
        assert!(KubeConfig::from_settings(&settings).is_err());
    }

    #[test]
    fn namespace_follows_the_current_context_as_clientcmd_does() {
        let mut k = KubeConfig::default();
        k.contexts.insert(
            "dev".into(),
            Context {
                namespace: "development".into(),
                ..Context::kind()
            },
        );
        assert_eq!(k.namespace().unwrap(), "default");
        k.current_context = "dev".into();
        assert_eq!(k.namespace().unwrap(), "development");
        k.current_context = "gone".into();
        assert_eq!(
            k.namespace().unwrap_err().text,
            "Error in configuration: context was not found for specified context: gone"
        );
        k.contexts.insert(
            "other".into(),
            Context {
                cluster: String::new(),
                user: String::new(),
                namespace: "x".into(),
            },
        );
        k.current_context = "other".into();
        assert!(k.namespace().is_err());
    }

    #[test]
    fn minify_keeps_the_current_context_or_says_why_not() {
        let mut k = KubeConfig::default();
        let v = k.view(true, false).unwrap();
        assert_eq!(v.contexts.as_ref().unwrap().len(), 1);
        assert_eq!(v.users.unwrap()[0].user.client_key_data, "DATA+OMITTED");
        let raw = k.view(false, true).unwrap();
        assert!(
            raw.clusters.unwrap()[0]
                .cluster
                .certificate_authority_data
                .starts_with("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t")
        );
        k.current_context = "gone".into();
        assert_eq!(
            k.view(true, false).unwrap_err().text,
            "error: cannot locate context gone"
        );
        k.current_context = String::new();
        assert_eq!(
            k.view(true, false).unwrap_err().text,
            "error: current-context must exist in order to minify"
        );
        // A context naming no cluster or user minifies to none of them (`clusters: null`).
        k.contexts.insert(
            "bare".into(),
            Context {
                cluster: String::new(),
                user: String::new(),
                namespace: "x".into(),
            },
        );
        k.current_context = "bare".into();
        let v = k.view(true, false).unwrap();
        assert!(v.clusters.is_none() && v.users.is_none());
    }
}
