//! Where `teo` finds credentials: the environment, our profile file, then tccli's own file, then
//! the rest of the library's default chain (CVM role, TKE OIDC).
//!
//! A tccli user already has `~/.tccli/<profile>.credential` (JSON with `secretId`, `secretKey`
//! and, for temporary keys, `token`); it is read when neither the environment nor our profile
//! file (`~/.tencentcloud/credentials`) has credentials for the profile, so such a user needs no
//! setup. The profile is `--profile`, else `TENCENTCLOUD_PROFILE`, else `default`.

use std::path::PathBuf;

use generated_client::credentials::{
    CredentialsError, CredentialsFuture, DefaultChain, EnvironmentProvider, ProfileProvider, ENV_PROFILE,
};
use generated_client::{Credentials, ProvideCredentials};

/// The provider `teo` signs with.
#[derive(Debug)]
pub struct CliCredentials {
    profile: String,
    home: Option<PathBuf>,
    /// The library's chain without the environment and profile file (already tried): the CVM
    /// role and TKE OIDC.
    rest: DefaultChain,
}

impl CliCredentials {
    /// For `profile` (`--profile`), else the environment's, else `default`.
    pub fn new(profile: Option<&str>) -> CliCredentials {
        let profile = profile
            .map(str::to_owned)
            .or_else(|| std::env::var(ENV_PROFILE).ok().filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        // Without HOME and the TENCENTCLOUD_* keys the chain's first two sources find nothing
        // and it goes on to the instance role and TKE, with the rest of the environment.
        let vars = std::env::vars()
            .filter(|(k, _)| !matches!(k.as_str(), "HOME" | "USERPROFILE") && !k.starts_with("TENCENTCLOUD_SECRET"));
        CliCredentials {
            profile,
            home,
            rest: DefaultChain::from_vars(vars),
        }
    }

    /// The environment, our profile file, then tccli's; `Ok(None)` when none has any.
    fn local(&self) -> Result<Option<Credentials>, CredentialsError> {
        match EnvironmentProvider::new().read() {
            Ok(c) => return Ok(Some(c)),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
        if let Some(home) = &self.home {
            match ProfileProvider::from_home(home, Some(&self.profile)).read() {
                Ok(c) => return Ok(Some(c)),
                // No file, or a file without this profile: ours has none, tccli's may.
                Err(e) if e.is_not_found() || matches!(e, CredentialsError::ProfileMissing { .. }) => {}
                Err(e) => return Err(e),
            }
            if let Some(c) = tccli_file(&home.join(".tccli").join(format!("{}.credential", self.profile)))? {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }
}

/// tccli's credential file, if there is one.
fn tccli_file(path: &std::path::Path) -> Result<Option<Credentials>, CredentialsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CredentialsError::Provider {
                message: format!("cannot read {}: {e}", path.display()),
            })
        }
    };
    let bad = |what: &str| CredentialsError::Provider {
        message: format!("{}: {what}", path.display()),
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| bad("not valid JSON"))?;
    let field = |name: &str| json.get(name).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    let (Some(id), Some(key)) = (field("secretId"), field("secretKey")) else {
        return Err(bad("needs secretId and secretKey"));
    };
    let credentials = match field("token") {
        Some(token) => Credentials::with_token(id, key, token),
        None => Credentials::new(id, key),
    };
    credentials.check(&path.display().to_string())?;
    Ok(Some(credentials))
}

impl ProvideCredentials for CliCredentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.local()? {
                Some(found) => Ok(found),
                None => self.rest.provide_credentials().await,
            }
        })
    }
}
