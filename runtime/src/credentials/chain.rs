//! The default order of credential sources: the environment, then the profile file.

use super::env::Vars;
use super::{
    Credentials, CredentialsError, CredentialsFuture, EnvironmentProvider, ProfileProvider, ProvideCredentials,
};

/// Tries [`EnvironmentProvider`], then [`ProfileProvider`].
///
/// A source that has nothing passes to the next; a source that has something unusable (a
/// half-set environment, a malformed profile file) stops the chain with its error, so a typo
/// never silently falls back to other credentials. When no source has anything, the
/// [`CredentialsError::NotFound`] says what each source looked at.
#[derive(Clone, Debug, Default)]
pub struct DefaultChain {
    env: EnvironmentProvider,
    profile: ProfileProvider,
}

impl DefaultChain {
    /// Both sources, reading the process environment.
    pub fn new() -> Self {
        DefaultChain::default()
    }

    /// Both sources, reading the given variables instead of the process environment
    /// (`HOME` and `TENCENTCLOUD_PROFILE` included), for tests and embedders.
    pub fn from_vars<K: Into<String>, V: Into<std::ffi::OsString>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        let vars = Vars::fixed(vars);
        DefaultChain {
            profile: ProfileProvider::from_vars(&vars),
            env: EnvironmentProvider::with_vars(vars),
        }
    }

    /// The given sources, in the default order.
    pub fn from_sources(env: EnvironmentProvider, profile: ProfileProvider) -> Self {
        DefaultChain { env, profile }
    }

    /// Resolves credentials now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let env_miss = match self.env.read() {
            Err(CredentialsError::NotFound { tried }) => tried,
            other => return other,
        };
        match self.profile.read() {
            Err(CredentialsError::NotFound { tried }) => Err(CredentialsError::NotFound {
                tried: format!("{env_miss}; {tried}"),
            }),
            other => other,
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.read()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{ENV_SECRET_ID, ENV_SECRET_KEY};

    fn home_with(contents: &str, tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tc-runtime-chain-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(dir.join(".tencentcloud")).unwrap();
        std::fs::write(dir.join(".tencentcloud/credentials"), contents).unwrap();
        dir
    }

    #[test]
    fn environment_wins_over_the_profile_file() {
        let home = home_with("[default]\nsecret_id=AKIDFILE\nsecret_key=KEYFILE\n", "env-wins");
        let chain = DefaultChain::from_vars([
            (ENV_SECRET_ID, "AKIDENV"),
            (ENV_SECRET_KEY, "KEYENV"),
            ("HOME", home.to_str().unwrap()),
        ]);
        assert_eq!(chain.read().unwrap().secret_id(), "AKIDENV");
        let chain = DefaultChain::from_vars([("HOME", home.to_str().unwrap())]);
        assert_eq!(chain.read().unwrap().secret_id(), "AKIDFILE");
        std::fs::remove_dir_all(home).unwrap();
    }

    #[test]
    fn a_broken_environment_stops_the_chain() {
        let home = home_with("[default]\nsecret_id=AKIDFILE\nsecret_key=KEYFILE\n", "broken-env");
        let chain = DefaultChain::from_vars([(ENV_SECRET_ID, "AKIDENV"), ("HOME", home.to_str().unwrap())]);
        assert!(matches!(
            chain.read(),
            Err(CredentialsError::IncompleteEnvironment { .. })
        ));
        std::fs::remove_dir_all(home).unwrap();
    }

    #[tokio::test]
    async fn nothing_anywhere_says_what_was_tried() {
        let chain = DefaultChain::from_vars([("HOME", "/nonexistent-home")]);
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials found: environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not \
             set; no credentials profile file at /nonexistent-home/.tencentcloud/credentials"
        );
    }
}
