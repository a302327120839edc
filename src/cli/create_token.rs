//! `kubesim create token SERVICE_ACCOUNT_NAME` (kubectl/pkg/cmd/create/create_token.go): a
//! TokenRequest to the simulated API server ([`crate::api::Api::create_token`]); the token
//! printed bare (no newline when stdout is not a terminal, as kubectl), or the TokenRequest
//! with `-o`.

use super::{CliError, CliResult, Ctx, Out, flags};
use crate::api::serviceaccount::TokenRequestSpec;
use clap::Args;
use std::io::{IsTerminal, Write};

#[derive(Args, Debug, Clone)]
pub struct TokenArgs {
    #[arg(value_name = "SERVICE_ACCOUNT_NAME")]
    pub names: Vec<String>,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    /// Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.
    #[arg(long)]
    pub audience: Vec<String>,
    /// Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.
    #[arg(long, default_value = "0s", value_parser = super::goflags::GoDuration)]
    pub duration: String,
    /// Kind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided.
    #[arg(long, default_value = "")]
    pub bound_object_kind: String,
    /// Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.
    #[arg(long, default_value = "")]
    pub bound_object_name: String,
    /// UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.
    #[arg(long, default_value = "")]
    pub bound_object_uid: String,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// `TokenOptions.Validate`, in its order.
fn validate(a: &TokenArgs) -> Result<Option<i64>, CliError> {
    let d = super::goflags::go_parse_duration(&a.duration).map_err(CliError::msg)?;
    if d.is_negative() {
        return Err(CliError::msg(
            "--duration must be greater than or equal to 0",
        ));
    }
    if d.subsec_nanos() != 0 {
        return Err(CliError::msg(
            "--duration cannot be expressed in units less than seconds",
        ));
    }
    if a.audience.iter().any(String::is_empty) {
        return Err(CliError::msg("--audience must not be an empty string"));
    }
    if a.bound_object_kind.is_empty() {
        if !a.bound_object_name.is_empty() {
            return Err(CliError::msg(
                "--bound-object-name can only be set if --bound-object-kind is provided",
            ));
        }
        if !a.bound_object_uid.is_empty() {
            return Err(CliError::msg(
                "--bound-object-uid can only be set if --bound-object-kind is provided",
            ));
        }
    } else {
        if !["Node", "Pod", "Secret"].contains(&a.bound_object_kind.as_str()) {
            return Err(CliError::msg(
                "supported --bound-object-kind values are Node, Pod, Secret",
            ));
        }
        if a.bound_object_name.is_empty() {
            return Err(CliError::msg(
                "--bound-object-name is required if --bound-object-kind is provided",
            ));
        }
    }
    Ok((d.as_secs() > 0).then_some(d.as_secs()))
}

pub fn run(ctx: &Ctx, a: TokenArgs, out: &mut Out) -> CliResult {
    let name = super::generators::name_arg("token", a.names.clone())?;
    let fmt = a.output.format()?;
    let expiration_seconds = validate(&a)?;
    let spec = TokenRequestSpec {
        audiences: a.audience.clone(),
        expiration_seconds,
        bound: (!a.bound_object_kind.is_empty()).then(|| {
            (
                a.bound_object_kind.clone(),
                a.bound_object_name.clone(),
                a.bound_object_uid.clone(),
            )
        }),
    };
    let mut api = ctx.open_read()?;
    let req = api
        .create_token(&ctx.namespace()?, &name, &spec)
        .map_err(|e| CliError::msg(format!("failed to create token: {e}")))?;
    super::done(api);
    if a.output.is_some() {
        let info = &crate::kinds::serviceaccount::KIND;
        let text = crate::print::output::print_structured(&fmt, &[(info, req)], true)?;
        out.out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let token = req
        .pointer("/status/token")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if std::io::stdout().is_terminal() {
        writeln!(out.out, "{token}")?;
    } else {
        write!(out.out, "{token}")?;
    }
    Ok(())
}
