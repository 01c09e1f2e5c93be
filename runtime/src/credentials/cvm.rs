//! Temporary credentials of the CAM role bound to a CVM instance, from the instance metadata
//! service.
//!
//! `GET <metadata>/latest/meta-data/cam/security-credentials/` answers the role's name;
//! `GET .../security-credentials/<role>` answers JSON with `TmpSecretId`, `TmpSecretKey`,
//! `Token`, `ExpiredTime` (Unix seconds), `Expiration` and `Code` (`"Success"` when it worked).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use serde::Deserialize;

use super::cache::{boxed, CachedProvider};
use super::http::{self, NoAnswer};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, ConfigError};

/// The instance metadata service of Tencent Cloud.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com";
/// The time allowed for each request to the metadata service (it is on the local network).
pub const DEFAULT_METADATA_TIMEOUT: Duration = Duration::from_secs(1);

/// Where the role name is read, under the metadata endpoint.
const ROLE_PATH: &str = "latest/meta-data/cam/security-credentials/";

/// The credentials of the CAM role bound to the CVM instance the code runs on, cached and
/// refreshed before they expire (see [`CachedProvider`]).
///
/// Each refresh asks the metadata service for the role name (unless one is given with
/// [`role_name`](CvmRoleProviderBuilder::role_name)), then for its credentials. Each request
/// has [`DEFAULT_METADATA_TIMEOUT`] (1 s), so off Tencent Cloud the provider fails fast.
///
/// ```
/// use tencentcloud_runtime::credentials::CvmRoleProvider;
/// # fn main() -> Result<(), tencentcloud_runtime::BuildError> {
/// let provider = CvmRoleProvider::builder().build()?;
/// // Pass it to `ClientBuilder::credentials_provider(provider)`.
/// let for_tests = CvmRoleProvider::builder()
///     .endpoint("http://127.0.0.1:8080")
///     .role_name("my-role")
///     .build()?;
/// # let _ = (provider, for_tests);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct CvmRoleProvider {
    cache: CachedProvider,
}

/// Configures a [`CvmRoleProvider`].
#[derive(Clone, Debug)]
pub struct CvmRoleProviderBuilder {
    endpoint: String,
    role: Option<String>,
    timeout: Duration,
    margin: Option<Duration>,
}

impl CvmRoleProvider {
    /// Starts configuring the provider: the real metadata service, the role it names, 1 s per
    /// request.
    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder {
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            role: None,
            timeout: DEFAULT_METADATA_TIMEOUT,
            margin: None,
        }
    }
}

impl CvmRoleProviderBuilder {
    /// Asks this metadata service instead (`http://host[:port]`, no path), for tests against
    /// a loopback stand-in.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = url.into();
        self
    }

    /// Uses this role instead of asking the metadata service which role is bound.
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Time allowed for each request to the metadata service; default 1 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Refreshes this long before expiry (see [`CachedProviderBuilder::refresh_margin`](super::CachedProviderBuilder::refresh_margin)).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = Some(margin);
        self
    }

    /// Checks the endpoint, role name and timeout and builds the provider. Nothing is sent
    /// until the first call.
    pub fn build(self) -> Result<CvmRoleProvider, BuildError> {
        let source = CvmSource::new(&self.endpoint, self.role, self.timeout)?;
        let mut cache = CachedProvider::builder(source).name("the CVM role provider");
        if let Some(margin) = self.margin {
            cache = cache.refresh_margin(margin);
        }
        Ok(CvmRoleProvider { cache: cache.build() })
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

impl fmt::Debug for CvmRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.source().fmt(f)
    }
}

/// The uncached source: one refresh is one or two requests.
pub(crate) struct CvmSource {
    base: Url,
    role: Option<String>,
    http: reqwest::Client,
    timeout: Duration,
}

impl CvmSource {
    pub(crate) fn new(endpoint: &str, role: Option<String>, timeout: Duration) -> Result<Self, BuildError> {
        let base = Endpoint::parse(endpoint).map_err(ConfigError)?.url;
        if timeout.is_zero() {
            return Err(ConfigError("metadata timeout must be greater than zero".to_owned()).into());
        }
        if let Some(role) = &role {
            if !is_role_name(role) {
                return Err(ConfigError(format!(
                    "CVM role name {role:?} must be letters, digits and +=,.@_- only"
                ))
                .into());
            }
        }
        Ok(CvmSource {
            base,
            role,
            http: http::client(timeout, false)?,
            timeout,
        })
    }

    /// `GET` of `url`: the status and body, or why there was no answer.
    async fn get(&self, url: &Url) -> Result<(u16, Vec<u8>), NoAnswer> {
        http::exchange(self.http.get(url.clone()), self.timeout).await
    }

    /// The URL of `path` under the metadata endpoint.
    fn url(&self, path: &str) -> Result<Url, CredentialsError> {
        self.base.join(path).map_err(|e| CredentialsError::Remote {
            request: format!("GET {}{path}", self.base),
            problem: format!("cannot form the URL: {e}"),
        })
    }

    /// The role bound to the instance. No metadata service, or no role bound, is "not found":
    /// the default chain then goes on to the next source.
    async fn role(&self) -> Result<String, CredentialsError> {
        if let Some(role) = &self.role {
            return Ok(role.clone());
        }
        let url = self.url(ROLE_PATH)?;
        let not_found = |why: String| CredentialsError::NotFound {
            tried: format!("CVM role: GET {url}: {why}"),
        };
        let (status, body) = match self.get(&url).await {
            Ok(answer) => answer,
            Err(NoAnswer::Unreachable(problem)) => return Err(not_found(problem)),
            Err(other) => return Err(remote(&url, other.into_problem())),
        };
        match status {
            200 => {}
            404 => return Err(not_found("no CAM role is bound to this instance (HTTP 404)".to_owned())),
            other => return Err(remote(&url, format!("answered HTTP status {other}"))),
        }
        let text = String::from_utf8_lossy(&body);
        let role = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
        if role.is_empty() {
            return Err(not_found(
                "no CAM role is bound to this instance (empty answer)".to_owned(),
            ));
        }
        if !is_role_name(role) {
            return Err(remote(
                &url,
                "the role name it answered has characters a role name cannot have".to_owned(),
            ));
        }
        Ok(role.to_owned())
    }

    pub(crate) async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let role = self.role().await?;
        let url = self.url(&format!("{ROLE_PATH}{role}"))?;
        let (status, body) = self.get(&url).await.map_err(|e| remote(&url, e.into_problem()))?;
        match status {
            200 => {}
            404 => {
                return Err(remote(
                    &url,
                    format!("the metadata service does not know the role {role:?} (HTTP 404)"),
                ))
            }
            other => return Err(remote(&url, format!("answered HTTP status {other}"))),
        }
        let answer: RoleAnswer = serde_json::from_slice(&body).map_err(|e| remote(&url, http::json_problem(&e)))?;
        match answer.code.as_deref() {
            Some("Success") => {}
            Some(code) => {
                return Err(remote(
                    &url,
                    format!("answered Code {:?}, not \"Success\"", crate::error::shown(code)),
                ))
            }
            None => return Err(remote(&url, "the answer has no Code".to_owned())),
        }
        let lacks = |member: &str| remote(&url, format!("the answer has no {member}"));
        let id = answer.id.ok_or_else(|| lacks("TmpSecretId"))?;
        let key = answer.key.ok_or_else(|| lacks("TmpSecretKey"))?;
        let token = answer.token.ok_or_else(|| lacks("Token"))?;
        let expired = answer.expired_time.ok_or_else(|| lacks("ExpiredTime"))?;
        Ok(Credentials::with_token(id, key, token).with_expiry(unix_time(expired)))
    }
}

impl ProvideCredentials for CvmSource {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        boxed(self.fetch())
    }
}

impl fmt::Debug for CvmSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CvmRoleProvider")
            .field("endpoint", &self.base.as_str())
            .field("role_name", &self.role)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The answer for a role. `Expiration` (the same time as text) is not needed.
#[derive(Deserialize)]
struct RoleAnswer {
    #[serde(rename = "TmpSecretId")]
    id: Option<String>,
    #[serde(rename = "TmpSecretKey")]
    key: Option<String>,
    #[serde(rename = "Token")]
    token: Option<String>,
    #[serde(rename = "ExpiredTime")]
    expired_time: Option<i64>,
    #[serde(rename = "Code")]
    code: Option<String>,
}

fn remote(url: &Url, problem: String) -> CredentialsError {
    CredentialsError::Remote {
        request: format!("GET {url}"),
        problem,
    }
}

/// `seconds` after the Unix epoch; a negative value is the epoch itself (long expired).
pub(crate) fn unix_time(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// CAM role names: letters, digits and `+=,.@_-`, which need no escaping in a URL path.
fn is_role_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 128 && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_server::{closed_port, Reply, Server};

    const ROLE_LIST: &str = "/latest/meta-data/cam/security-credentials/";

    type Answer = Box<dyn Fn() -> Reply + Send + Sync>;

    fn answer(code: &str) -> String {
        format!(
            r#"{{"TmpSecretId":"AKIDCVMROLE00000","TmpSecretKey":"SECRETCVMKEY","Token":"SECRETCVMTOKEN",
                "ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z","Code":"{code}"}}"#
        )
    }

    async fn metadata(role_answer: impl Fn() -> Reply + Send + Sync + 'static) -> Server {
        Server::start(move |seen| match seen.path.as_str() {
            ROLE_LIST => Reply::ok("edge-role\n"),
            "/latest/meta-data/cam/security-credentials/edge-role" => role_answer(),
            _ => Reply::status(404, ""),
        })
        .await
    }

    async fn error_of(provider: &CvmRoleProvider) -> String {
        provider.provide_credentials().await.unwrap_err().to_string()
    }

    #[tokio::test]
    async fn reads_the_role_then_its_credentials_and_caches_them() {
        let server = metadata(|| Reply::ok(answer("Success"))).await;
        let provider = CvmRoleProvider::builder().endpoint(&server.url).build().unwrap();
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!(c.secret_id(), "AKIDCVMROLE00000");
        assert_eq!(&**c.secret_key(), "SECRETCVMKEY");
        assert_eq!(c.session_token(), Some("SECRETCVMTOKEN"));
        assert_eq!(c.expiry(), Some(unix_time(4_102_444_800)));
        provider.provide_credentials().await.unwrap();
        let paths: Vec<_> = server.requests().into_iter().map(|r| (r.method, r.path)).collect();
        assert_eq!(
            paths,
            [
                ("GET".to_owned(), ROLE_LIST.to_owned()),
                ("GET".to_owned(), format!("{ROLE_LIST}edge-role"))
            ]
        );
    }

    #[tokio::test]
    async fn a_given_role_name_skips_the_lookup() {
        let server = metadata(|| Reply::ok(answer("Success"))).await;
        let provider = CvmRoleProvider::builder()
            .endpoint(&server.url)
            .role_name("edge-role")
            .build()
            .unwrap();
        provider.provide_credentials().await.unwrap();
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn unusable_answers_are_errors_naming_the_request_never_a_value() {
        let cases: Vec<(Answer, &str)> = vec![
            (
                Box::new(|| Reply::ok(answer("Fail"))),
                "answered Code \"Fail\", not \"Success\"",
            ),
            (
                Box::new(|| Reply::ok("{\"TmpSecretId\": SECRET")),
                "the answer is malformed JSON (line 1, column 17)",
            ),
            (
                Box::new(|| Reply::ok(r#"{"TmpSecretId":12345,"TmpSecretKey":"SECRETX","Code":"Success"}"#)),
                "the answer is JSON of the wrong shape (line 1, column 20)",
            ),
            (
                Box::new(|| Reply::ok(r#"{"TmpSecretId":"AKIDX","TmpSecretKey":"SECRETX","Code":"Success"}"#)),
                "the answer has no Token",
            ),
            (Box::new(|| Reply::status(500, "SECRET")), "answered HTTP status 500"),
        ];
        for (reply, problem) in cases {
            let server = metadata(reply).await;
            let provider = CvmRoleProvider::builder().endpoint(&server.url).build().unwrap();
            let error = error_of(&provider).await;
            assert_eq!(
                error,
                format!(
                    "no credentials from the CVM role provider: GET {}{ROLE_LIST}edge-role: {problem}",
                    server.url
                )
            );
            assert!(!error.contains("SECRET"), "{error}");
        }
    }

    #[tokio::test]
    async fn no_role_bound_or_no_service_is_not_found() {
        let server = Server::start(|_| Reply::status(404, "")).await;
        let provider = CvmRoleProvider::builder().endpoint(&server.url).build().unwrap();
        let error = provider.provide_credentials().await.unwrap_err();
        assert!(error.is_not_found());
        assert_eq!(
            error.to_string(),
            format!(
                "no credentials from the CVM role provider: no credentials found: CVM role: GET \
                 {}{ROLE_LIST}: no CAM role is bound to this instance (HTTP 404)",
                server.url
            )
        );
        let closed = closed_port().await;
        let provider = CvmRoleProvider::builder().endpoint(&closed).build().unwrap();
        assert!(provider.provide_credentials().await.unwrap_err().is_not_found());
    }

    #[tokio::test]
    async fn a_slow_metadata_service_times_out() {
        let server = metadata(|| Reply::ok(answer("Success")).after(Duration::from_secs(5))).await;
        let provider = CvmRoleProvider::builder()
            .endpoint(&server.url)
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        assert_eq!(
            error_of(&provider).await,
            format!(
                "no credentials from the CVM role provider: GET {}{ROLE_LIST}edge-role: no answer within 0.2s",
                server.url
            )
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn bad_settings_are_build_errors() {
        let err = |b: CvmRoleProviderBuilder| b.build().unwrap_err().to_string();
        assert_eq!(
            err(CvmRoleProvider::builder().endpoint("metadata")),
            "invalid client configuration: endpoint \"metadata\" is not a valid URL: relative URL without a base"
        );
        assert_eq!(
            err(CvmRoleProvider::builder().role_name("a/b")),
            "invalid client configuration: CVM role name \"a/b\" must be letters, digits and +=,.@_- only"
        );
        assert_eq!(
            err(CvmRoleProvider::builder().timeout(Duration::ZERO)),
            "invalid client configuration: metadata timeout must be greater than zero"
        );
    }

    #[test]
    fn debug_shows_the_settings() {
        let provider = CvmRoleProvider::builder().build().unwrap();
        assert_eq!(
            format!("{provider:?}"),
            r#"CvmRoleProvider { endpoint: "http://metadata.tencentyun.com/", role_name: None, timeout: 1s }"#
        );
    }
}
