//! The default order of credential sources: the environment, the profile file, the CVM
//! instance role, then TKE OIDC; resolved on first use and cached.

use std::fmt;

use super::cache::{boxed, CachedProvider};
use super::cvm::{CvmSource, DEFAULT_METADATA_ENDPOINT, DEFAULT_METADATA_TIMEOUT};
use super::env::Vars;
use super::sts::OidcSource;
use super::{
    Credentials, CredentialsError, CredentialsFuture, EnvironmentProvider, ProfileProvider, ProvideCredentials,
};

/// Points the CVM role source of the default chain at another metadata service
/// (`http://host[:port]`), for tests against a loopback stand-in. Unset, the chain asks
/// `http://metadata.tencentyun.com`.
pub const ENV_METADATA_ENDPOINT: &str = "TENCENTCLOUD_METADATA_ENDPOINT";

/// Tries, in order: [`EnvironmentProvider`], [`ProfileProvider`], the CVM instance role (as
/// [`CvmRoleProvider`](super::CvmRoleProvider) does, 1 s per metadata request), then TKE OIDC
/// when its variables are set (as [`OidcRoleProvider::from_env`](super::OidcRoleProvider::from_env)).
///
/// Nothing is read when the chain is made: the sources are tried on the first call, and the
/// result is cached by a [`CachedProvider`]: temporary credentials are refreshed before they
/// expire, and credentials without an expiry (environment, profile file) are read again every
/// [`DEFAULT_REREAD_INTERVAL`](super::DEFAULT_REREAD_INTERVAL), so rotated values are picked up.
///
/// A source that has nothing passes to the next: unset variables, no profile file, no metadata
/// service answering (or no role bound), no TKE variables. A source that has something unusable
/// (a half-set environment, a malformed profile file, a metadata answer without `Code: Success`)
/// stops the chain with its error, so a typo never silently falls back to other credentials.
/// When no source has anything, the [`CredentialsError`] lists each source and why it had
/// nothing.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct DefaultChain {
    cache: CachedProvider,
}

impl DefaultChain {
    /// The four sources, reading the process environment (`TENCENTCLOUD_*`, `HOME`, `TKE_*`).
    pub fn new() -> Self {
        // `ProfileProvider::new` also looks at the system-wide file.
        DefaultChain::from_parts(EnvironmentProvider::new(), ProfileProvider::new(), Vars::Process)
    }

    /// The four sources, reading the given variables instead of the process environment
    /// (`HOME`, `TENCENTCLOUD_PROFILE`, [`ENV_METADATA_ENDPOINT`] and the `TKE_*` variables
    /// included), for tests and embedders.
    pub fn from_vars<K: Into<String>, V: Into<std::ffi::OsString>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        let vars = Vars::fixed(vars);
        DefaultChain::from_parts(
            EnvironmentProvider::with_vars(vars.clone()),
            ProfileProvider::from_vars(&vars),
            vars,
        )
    }

    /// The given environment and profile sources in the default order, with the CVM role
    /// and TKE OIDC sources configured from the process environment.
    pub fn from_sources(env: EnvironmentProvider, profile: ProfileProvider) -> Self {
        DefaultChain::from_parts(env, profile, Vars::Process)
    }

    fn from_parts(env: EnvironmentProvider, profile: ProfileProvider, vars: Vars) -> Self {
        let source = ChainSource { env, profile, vars };
        DefaultChain {
            cache: CachedProvider::builder(source).name("the default chain").build(),
        }
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        DefaultChain::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.source().fmt(f)
    }
}

/// The uncached chain: each fetch tries the sources in order.
struct ChainSource {
    env: EnvironmentProvider,
    profile: ProfileProvider,
    /// Where the CVM endpoint override and the TKE variables are read, at each fetch.
    vars: Vars,
}

impl ChainSource {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(4);
        let mut next = |outcome: Result<Credentials, CredentialsError>| match outcome {
            Err(CredentialsError::NotFound { tried: why }) => {
                tried.push(why);
                None
            }
            other => Some(other),
        };
        if let Some(found) = next(self.env.read()) {
            return found;
        }
        if let Some(found) = next(self.profile.read()) {
            return found;
        }
        if let Some(found) = next(self.cvm().await) {
            return found;
        }
        let oidc = match OidcSource::from_vars(&self.vars) {
            Ok(source) => source.fetch().await,
            Err(e) => Err(e),
        };
        if let Some(found) = next(oidc) {
            return found;
        }
        Err(CredentialsError::NotFound {
            tried: tried.join("; "),
        })
    }

    async fn cvm(&self) -> Result<Credentials, CredentialsError> {
        let endpoint = self
            .vars
            .get(ENV_METADATA_ENDPOINT)
            .map(|v| v.to_string_lossy().into_owned())
            .filter(|v| !v.is_empty());
        let source = CvmSource::new(
            endpoint.as_deref().unwrap_or(DEFAULT_METADATA_ENDPOINT),
            None,
            DEFAULT_METADATA_TIMEOUT,
        )
        .map_err(|e| CredentialsError::Provider {
            message: format!("CVM role: {ENV_METADATA_ENDPOINT}: {e}"),
        })?;
        source.fetch().await
    }
}

impl ProvideCredentials for ChainSource {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        boxed(self.fetch())
    }
}

impl fmt::Debug for ChainSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("env", &self.env)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_server::{closed_port, Reply, Server};
    use crate::credentials::{ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN};
    use std::time::{Duration, Instant};

    fn home_with(contents: &str, tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tc-runtime-chain-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(dir.join(".tencentcloud")).unwrap();
        std::fs::write(dir.join(".tencentcloud/credentials"), contents).unwrap();
        dir
    }

    async fn id(chain: &DefaultChain) -> Result<String, CredentialsError> {
        chain.provide_credentials().await.map(|c| c.secret_id().to_owned())
    }

    #[tokio::test]
    async fn environment_wins_over_the_profile_file() {
        let home = home_with("[default]\nsecret_id=AKIDFILE\nsecret_key=KEYFILE\n", "env-wins");
        let metadata = closed_port().await;
        let chain = DefaultChain::from_vars([
            (ENV_SECRET_ID, "AKIDENV"),
            (ENV_SECRET_KEY, "KEYENV"),
            (ENV_SESSION_TOKEN, "TOKENENV"),
            ("HOME", home.to_str().unwrap()),
            (ENV_METADATA_ENDPOINT, &metadata),
        ]);
        assert_eq!(id(&chain).await.unwrap(), "AKIDENV");
        let chain = DefaultChain::from_vars([("HOME", home.to_str().unwrap()), (ENV_METADATA_ENDPOINT, &metadata)]);
        assert_eq!(id(&chain).await.unwrap(), "AKIDFILE");
        std::fs::remove_dir_all(home).unwrap();
    }

    #[tokio::test]
    async fn a_broken_environment_stops_the_chain() {
        let home = home_with("[default]\nsecret_id=AKIDFILE\nsecret_key=KEYFILE\n", "broken-env");
        let chain = DefaultChain::from_vars([(ENV_SECRET_ID, "AKIDENV"), ("HOME", home.to_str().unwrap())]);
        let error = chain.provide_credentials().await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "no credentials from the default chain: incomplete credentials in the environment: \
             TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
        );
        std::fs::remove_dir_all(home).unwrap();
    }

    #[tokio::test]
    async fn nothing_anywhere_fails_quickly_listing_each_source() {
        let metadata = closed_port().await;
        let chain = DefaultChain::from_vars([("HOME", "/nonexistent-home"), (ENV_METADATA_ENDPOINT, &metadata)]);
        let started = Instant::now();
        let err = chain.provide_credentials().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            format!(
                "no credentials from the default chain: no credentials found: environment variables \
                 TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set; no credentials profile file at \
                 /nonexistent-home/.tencentcloud/credentials; CVM role: GET \
                 {metadata}/latest/meta-data/cam/security-credentials/: cannot connect: Connection refused (os \
                 error 111); TKE OIDC: environment variables TKE_REGION, TKE_PROVIDER_ID, \
                 TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set"
            )
        );
    }

    #[tokio::test]
    async fn a_cvm_role_is_found_when_environment_and_file_have_nothing_and_is_cached() {
        let server = Server::start(|seen| match seen.path.as_str() {
            "/latest/meta-data/cam/security-credentials/" => Reply::ok("edge-role"),
            "/latest/meta-data/cam/security-credentials/edge-role" => Reply::ok(
                r#"{"TmpSecretId":"AKIDCVMROLE00000","TmpSecretKey":"SECRETCVM","Token":"TOKENCVM",
                    "ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","Code":"Success"}"#,
            ),
            _ => Reply::status(404, ""),
        })
        .await;
        let chain = DefaultChain::from_vars([("HOME", "/nonexistent-home"), (ENV_METADATA_ENDPOINT, &server.url)]);
        for _ in 0..5 {
            assert_eq!(id(&chain).await.unwrap(), "AKIDCVMROLE00000");
        }
        assert_eq!(server.requests().len(), 2, "role name and credentials, once");
    }

    #[tokio::test]
    async fn a_half_set_tke_environment_is_an_error_not_a_fallthrough() {
        let metadata = closed_port().await;
        let chain = DefaultChain::from_vars([
            ("HOME", "/nonexistent-home"),
            (ENV_METADATA_ENDPOINT, metadata.as_str()),
            ("TKE_REGION", "ap-guangzhou"),
        ]);
        assert_eq!(
            chain.provide_credentials().await.unwrap_err().to_string(),
            "no credentials from the default chain: incomplete credentials in the environment: TKE_REGION is set \
             but TKE_PROVIDER_ID is not"
        );
    }

    #[test]
    fn debug_shows_the_sources_without_values() {
        let chain = DefaultChain::from_vars([
            (ENV_SECRET_ID, "AKIDENV"),
            (ENV_SECRET_KEY, "SECRETENV"),
            ("HOME", "/h"),
        ]);
        assert_eq!(
            format!("{chain:?}"),
            "DefaultChain { env: EnvironmentProvider { vars: FixedVariables([\"HOME\", \"TENCENTCLOUD_SECRET_ID\", \
             \"TENCENTCLOUD_SECRET_KEY\"]) }, profile: ProfileProvider { paths: [\"/h/.tencentcloud/credentials\"], \
             profile: \"default\" }, .. }"
        );
    }
}
