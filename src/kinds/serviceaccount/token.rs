//! ServiceAccount tokens as the API server issues them (pkg/serviceaccount/claims.go,
//! jwt.go): a JWS of the claims, its three parts base64url without padding. kubesim holds no
//! signing key: the signature is 256 bytes (an RS256 signature's size) derived from the
//! signed text and the state's seed, so a token is the same on two fresh states.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

/// The issuer and default audience of kind's API server (`--service-account-issuer`,
/// `--api-audiences`).
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

/// `header.claims.signature`, each part base64url-encoded (the JSON as given; serde_json
/// sorts object keys as Go's map marshalling does).
pub fn encode(header: &Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string()),
        B64.encode(signature)
    )
}

fn digest(data: &[u8]) -> Vec<u8> {
    let hex = crate::util::sha256::hex_digest(data);
    (0..hex.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// The key id of the state's (simulated) signing key: base64url of a SHA-256, as the API
/// server's `kid` is of its public key.
pub fn key_id(seed: u64) -> String {
    B64.encode(digest(
        format!("kubesim-service-account-key/{seed}").as_bytes(),
    ))
}

/// A signed token of `claims` under the state's key.
pub fn sign(seed: u64, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "kid": key_id(seed)});
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let mut sig = Vec::with_capacity(256);
    let mut block = digest(format!("{seed}/{input}").as_bytes());
    while sig.len() < 256 {
        sig.extend_from_slice(&block);
        block = digest(&block);
    }
    sig.truncate(256);
    encode(&header, claims, &sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_three_base64url_parts_with_the_claims_in_the_middle() {
        let claims = json!({"iss": ISSUER, "sub": "system:serviceaccount:default:build-robot"});
        let t = sign(7, &claims);
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        let body: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(body, claims);
        assert_eq!(B64.decode(parts[2]).unwrap().len(), 256);
        assert_eq!(t, sign(7, &claims));
        assert_ne!(t, sign(8, &claims));
    }
}
