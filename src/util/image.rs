//! Container image references, parsed once: the name as written, its tag and digest, the
//! registry host, Docker Hub normalisation (`nginx` → `docker.io/library/nginx:latest`) and the
//! default pull policy (`SetDefaults_Container` with `parsers.ParseImageName`).
//!
//! ```ignore
//! let r = ImageRef::parse("nginx:1.25");
//! assert_eq!(r.normalized(), "docker.io/library/nginx:1.25");
//! assert_eq!(r.pull_policy(), "IfNotPresent");
//! ```

/// An image reference split as written: `name[:tag][@digest]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest (`quay.io/x/y`, `nginx`).
    pub name: &'a str,
    /// The tag after the last `:` of the last path segment.
    pub tag: Option<&'a str>,
    /// The digest after `@` (`sha256:...`).
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Splits `image` into name, tag and digest. Never fails: validation is the API's.
    pub fn parse(image: &'a str) -> ImageRef<'a> {
        let (name, digest) = match image.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (image, None),
        };
        let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
            None => (name, None),
        };
        ImageRef { name, tag, digest }
    }

    /// The registry host when the first path segment names one (has a `.` or `:`, or is
    /// `localhost`).
    pub fn domain(&self) -> Option<&'a str> {
        match self.name.split_once('/') {
            Some((host, _)) if host.contains('.') || host.contains(':') || host == "localhost" => {
                Some(host)
            }
            _ => None,
        }
    }

    /// The repository path after the registry host.
    pub fn path(&self) -> &'a str {
        match self.domain() {
            Some(host) => &self.name[host.len() + 1..],
            None => self.name,
        }
    }

    /// The fully qualified repository: `nginx` → `docker.io/library/nginx`, `x/y` →
    /// `docker.io/x/y`, `docker.io/nginx` → `docker.io/library/nginx`, `quay.io/x/y` as is.
    pub fn normalized_name(&self) -> String {
        let name = self.name;
        if let Some(path) = ["docker.io/", "index.docker.io/"]
            .iter()
            .find_map(|d| name.strip_prefix(d))
        {
            if path.contains('/') {
                format!("docker.io/{path}")
            } else {
                format!("docker.io/library/{path}")
            }
        } else if self.domain().is_some() {
            name.to_string()
        } else if name.contains('/') {
            format!("docker.io/{name}")
        } else {
            format!("docker.io/library/{name}")
        }
    }

    /// The reference a runtime reports: [`normalized_name`](Self::normalized_name) with the
    /// digest, else the tag, else `:latest`.
    pub fn normalized(&self) -> String {
        let full = self.normalized_name();
        match (self.tag, self.digest) {
            (_, Some(d)) => format!("{full}@{d}"),
            (Some(t), None) => format!("{full}:{t}"),
            (None, None) => format!("{full}:latest"),
        }
    }

    /// The default `imagePullPolicy`: `Always` when the tag is `latest` or there is neither a
    /// tag nor a digest, else `IfNotPresent`. A reference Docker cannot parse (empty, upper
    /// case in the path) has no tag to judge: `IfNotPresent`.
    pub fn pull_policy(&self) -> &'static str {
        if self.name.is_empty() && self.tag.is_none() && self.digest.is_none() {
            return "IfNotPresent";
        }
        if self.path().chars().any(|c| c.is_ascii_uppercase()) {
            return "IfNotPresent";
        }
        match (self.tag, self.digest) {
            (Some("latest"), _) | (None, None) => "Always",
            _ => "IfNotPresent",
        }
    }
}

/// [`ImageRef::normalized`] of a string.
pub fn normalize(image: &str) -> String {
    ImageRef::parse(image).normalized()
}

/// [`ImageRef::pull_policy`] of a string.
pub fn pull_policy(image: &str) -> &'static str {
    ImageRef::parse(image).pull_policy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_docker() {
        for (input, want) in [
            ("nginx", "docker.io/library/nginx:latest"),
            ("nginx:1.25", "docker.io/library/nginx:1.25"),
            ("library/nginx:1.25", "docker.io/library/nginx:1.25"),
            ("docker.io/nginx", "docker.io/library/nginx:latest"),
            ("index.docker.io/x/y:1", "docker.io/x/y:1"),
            ("bitnami/redis", "docker.io/bitnami/redis:latest"),
            ("quay.io/x/y", "quay.io/x/y:latest"),
            ("localhost:5000/app:v2", "localhost:5000/app:v2"),
            ("localhost/app", "localhost/app:latest"),
            ("nginx@sha256:abc", "docker.io/library/nginx@sha256:abc"),
            (
                "nginx:1.25@sha256:abc",
                "docker.io/library/nginx@sha256:abc",
            ),
        ] {
            assert_eq!(normalize(input), want, "{input}");
        }
        let r = ImageRef::parse("localhost:5000/team/app:v2@sha256:1");
        assert_eq!(r.domain(), Some("localhost:5000"));
        assert_eq!(r.path(), "team/app");
        assert_eq!(r.tag, Some("v2"));
        assert_eq!(r.digest, Some("sha256:1"));
    }

    #[test]
    fn pull_policy_as_set_defaults_container() {
        for (input, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            ("nginx@sha256:abc", "IfNotPresent"),
            ("nginx:latest@sha256:abc", "Always"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:1", "IfNotPresent"),
            ("Nginx", "IfNotPresent"),
            ("Registry.io/app", "Always"),
            ("", "IfNotPresent"),
        ] {
            assert_eq!(pull_policy(input), want, "{input:?}");
        }
    }
}
