//! Temporary credentials from STS (service `sts`, version `2018-08-13`): `AssumeRole`, signed
//! with base credentials, and `AssumeRoleWithWebIdentity` for TKE OIDC, sent unsigned
//! (`Authorization: SKIP`).
//!
//! Both answer `Response.Credentials { TmpSecretId, TmpSecretKey, Token }` with
//! `Response.ExpiredTime` (Unix seconds), or `Response.Error { Code, Message }`.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use serde::Deserialize;

use super::cache::{boxed, CachedProvider};
use super::env::Vars;
use super::http;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{shown, BuildError, ConfigError};
use crate::headers::{
    REQUEST_CLIENT, X_TC_ACTION, X_TC_REGION, X_TC_REQUEST_CLIENT, X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_VERSION,
};
use crate::sensitive::Sensitive;
use crate::signing::{SignableRequest, Signer, JSON_CONTENT_TYPE};
use crate::timeouts::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// The STS endpoint of the mainland site.
pub const STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com";
/// The STS endpoint of the international site.
pub const STS_INTL_ENDPOINT: &str = "https://sts.intl.tencentcloudapi.com";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// The region sent to STS unless another is chosen.
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";
/// How long assumed credentials last unless another duration is chosen: 7200 s.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(7200);
/// The longest duration STS grants: 12 hours.
const MAX_DURATION: Duration = Duration::from_secs(43_200);

/// TKE OIDC: the region to call STS in.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// TKE OIDC: the identity provider's id.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// TKE OIDC: the file holding the pod's web identity token (re-read on each refresh).
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// TKE OIDC: the role to assume.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";
/// The four TKE variables, in the order they are reported.
const TKE_VARIABLES: [&str; 4] = [
    ENV_TKE_REGION,
    ENV_TKE_PROVIDER_ID,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    ENV_TKE_ROLE_ARN,
];

const SERVICE: &str = "sts";

/// The connection to STS shared by both actions.
struct StsClient {
    endpoint: Endpoint,
    region: HeaderValue,
    http: reqwest::Client,
    timeout: Duration,
}

/// Endpoint, region and timeouts collected by both builders.
#[derive(Clone, Debug)]
struct StsSettings {
    endpoint: Option<String>,
    international: bool,
    region: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    margin: Option<Duration>,
}

impl Default for StsSettings {
    fn default() -> Self {
        StsSettings {
            endpoint: None,
            international: false,
            region: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            margin: None,
        }
    }
}

impl StsSettings {
    fn client(&self, default_region: &str) -> Result<StsClient, BuildError> {
        let text = match (&self.endpoint, self.international) {
            (Some(url), _) => url.as_str(),
            (None, true) => STS_INTL_ENDPOINT,
            (None, false) => STS_ENDPOINT,
        };
        let endpoint = Endpoint::parse(text).map_err(ConfigError)?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(ConfigError("STS timeouts must be greater than zero".to_owned()).into());
        }
        let region = self.region.as_deref().unwrap_or(default_region);
        Ok(StsClient {
            endpoint,
            region: region_header(region)?,
            http: http::client(self.connect_timeout, true)?,
            timeout: self.timeout,
        })
    }

    fn cache(&self, source: impl ProvideCredentials + 'static, name: &'static str) -> CachedProvider {
        let mut cache = CachedProvider::builder(source)
            .name(name)
            .fetch_timeout(self.connect_timeout + self.timeout + Duration::from_secs(1));
        if let Some(margin) = self.margin {
            cache = cache.refresh_margin(margin);
        }
        cache.build()
    }
}

fn region_header(region: &str) -> Result<HeaderValue, ConfigError> {
    HeaderValue::from_str(region)
        .ok()
        .filter(|_| !region.trim().is_empty())
        .ok_or_else(|| {
            ConfigError(format!(
                "STS region {region:?} is empty or cannot be sent in an HTTP header"
            ))
        })
}

/// How a request to STS is authorized.
enum Auth<'a> {
    /// TC3-signed with these credentials (their token, if any, sent as `X-TC-Token`).
    Signed(&'a Signer, &'a Credentials),
    /// `Authorization: SKIP`: the action authenticates by its parameters.
    Skip,
}

impl StsClient {
    /// Posts `action` with `body` and reads the temporary credentials from the answer.
    /// `scrub` is a secret of the request that must not come back in an error.
    async fn call(
        &self,
        action: &'static str,
        body: Vec<u8>,
        auth: Auth<'_>,
        scrub: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let request = format!("POST {} {action}", self.endpoint.url);
        let fail = |problem: String| CredentialsError::Remote {
            request: request.clone(),
            problem: match scrub {
                Some(secret) if !secret.is_empty() => problem.replace(secret, crate::sensitive::REDACTED),
                _ => problem,
            },
        };
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let mut headers = HeaderMap::with_capacity(10);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
        let host =
            HeaderValue::from_str(&self.endpoint.host).map_err(|_| fail("the host cannot be sent".to_owned()))?;
        headers.insert(HOST, host);
        headers.insert(X_TC_ACTION, HeaderValue::from_static(action));
        headers.insert(X_TC_VERSION, HeaderValue::from_static(STS_VERSION));
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        headers.insert(X_TC_REGION, self.region.clone());
        headers.insert(X_TC_REQUEST_CLIENT, HeaderValue::from_static(REQUEST_CLIENT));
        match auth {
            Auth::Signed(signer, base) => {
                let signable = SignableRequest::post_json(&self.endpoint.host, &body);
                let authorization = signer.authorization(base, &signable, timestamp);
                headers.insert(AUTHORIZATION, secret_header(authorization, "secret_id")?);
                if let Some(token) = base.session_token() {
                    headers.insert(X_TC_TOKEN, secret_header(token.to_owned(), "session_token")?);
                }
            }
            Auth::Skip => {
                headers.insert(AUTHORIZATION, HeaderValue::from_static("SKIP"));
            }
        }
        let sent = self.http.post(self.endpoint.url.clone()).headers(headers).body(body);
        let (status, answer) = http::exchange(sent, self.timeout)
            .await
            .map_err(|e| fail(e.into_problem()))?;
        let parsed: StsAnswer = match serde_json::from_slice(&answer) {
            Ok(parsed) => parsed,
            Err(_) if status != 200 => return Err(fail(format!("answered HTTP status {status}"))),
            Err(e) => return Err(fail(http::json_problem(&e))),
        };
        let response = parsed.response;
        if let Some(error) = response.error {
            return Err(fail(format!(
                "service error {}: {} (request id {})",
                shown(error.code.as_deref().unwrap_or("")),
                shown(error.message.as_deref().unwrap_or("")),
                shown(response.request_id.as_deref().unwrap_or(""))
            )));
        }
        if status != 200 {
            return Err(fail(format!("answered HTTP status {status}")));
        }
        let lacks = |member: &str| fail(format!("the answer has no {member}"));
        let credentials = response.credentials.ok_or_else(|| lacks("Credentials"))?;
        let id = credentials.id.ok_or_else(|| lacks("Credentials.TmpSecretId"))?;
        let key = credentials.key.ok_or_else(|| lacks("Credentials.TmpSecretKey"))?;
        let token = credentials.token.ok_or_else(|| lacks("Credentials.Token"))?;
        let expired = response.expired_time.ok_or_else(|| lacks("ExpiredTime"))?;
        Ok(Credentials::with_token(id, key, token).with_expiry(super::cvm::unix_time(expired)))
    }
}

/// A header carrying a secret, marked sensitive.
fn secret_header(value: String, field: &'static str) -> Result<HeaderValue, CredentialsError> {
    let mut header = HeaderValue::try_from(value).map_err(|_| CredentialsError::InvalidValue {
        field,
        origin: "the base credentials for STS".to_owned(),
        problem: "cannot be sent in an HTTP header",
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[derive(Deserialize)]
struct StsAnswer {
    #[serde(rename = "Response")]
    response: StsResponse,
}

#[derive(Deserialize)]
struct StsResponse {
    #[serde(rename = "Credentials")]
    credentials: Option<StsCredentials>,
    #[serde(rename = "ExpiredTime")]
    expired_time: Option<i64>,
    #[serde(rename = "Error")]
    error: Option<StsError>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "TmpSecretId")]
    id: Option<String>,
    #[serde(rename = "TmpSecretKey")]
    key: Option<String>,
    #[serde(rename = "Token")]
    token: Option<String>,
}

#[derive(Deserialize)]
struct StsError {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

/// A session name unique enough per process: `tencentcloud-rust-<microseconds>`.
fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    format!("tencentcloud-rust-{micros}")
}

fn check_duration(duration: Duration) -> Result<u64, ConfigError> {
    if duration.is_zero() || duration > MAX_DURATION {
        return Err(ConfigError(format!(
            "STS duration {}s must be between 1 and {} seconds",
            duration.as_secs(),
            MAX_DURATION.as_secs()
        )));
    }
    Ok(duration.as_secs())
}

fn required(value: Option<String>, what: &str) -> Result<String, ConfigError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ConfigError(format!("{what} is required"))),
    }
}

// ----- AssumeRole --------------------------------------------------------------------------

/// Credentials of a CAM role assumed with STS `AssumeRole`, signed with base credentials,
/// cached and refreshed before they expire (see [`CachedProvider`]).
///
/// Defaults: host `sts.tencentcloudapi.com` (`sts.intl.tencentcloudapi.com` with
/// [`international`](AssumeRoleProviderBuilder::international)), region `ap-guangzhou`,
/// 7200 s duration, session name `tencentcloud-rust-<microseconds>`, the client's default
/// timeouts (5 s to connect, 30 s per request).
///
/// ```
/// use tencentcloud_runtime::credentials::AssumeRoleProvider;
/// use tencentcloud_runtime::Credentials;
/// # fn main() -> Result<(), tencentcloud_runtime::BuildError> {
/// let provider = AssumeRoleProvider::builder()
///     .credentials(Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE"))
///     .role_arn("qcs::cam::uin/100000000001:roleName/edgeone-automation")
///     .role_session_name("nightly-purge")
///     .build()?;
/// # let _ = provider;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct AssumeRoleProvider {
    cache: CachedProvider,
}

/// Configures an [`AssumeRoleProvider`].
#[derive(Debug, Default)]
pub struct AssumeRoleProviderBuilder {
    base: Option<Arc<dyn ProvideCredentials>>,
    role_arn: Option<String>,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    sts: StsSettings,
}

impl AssumeRoleProvider {
    /// Starts configuring the provider; base credentials and a role ARN are required.
    pub fn builder() -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder::default()
    }
}

impl AssumeRoleProviderBuilder {
    /// Signs `AssumeRole` with these (long-term or temporary) credentials.
    pub fn credentials(mut self, base: Credentials) -> Self {
        self.base = Some(Arc::new(base));
        self
    }

    /// Signs `AssumeRole` with credentials from `provider`, asked at each refresh (a
    /// [`CvmRoleProvider`](super::CvmRoleProvider), say, to assume a role from an instance).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.base = Some(Arc::new(provider));
        self
    }

    /// The role to assume, `qcs::cam::uin/<account>:roleName/<name>`; required.
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// The session name, shown in CloudAudit (default `tencentcloud-rust-<microseconds>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last, 1 s to 12 h; default 7200 s.
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A policy narrowing the role's permissions (sent as `Policy`; the API expects the policy
    /// JSON URL-encoded).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy asks for (sent as `ExternalId`).
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// The region sent as `X-TC-Region`; default `ap-guangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.sts.region = Some(region.into());
        self
    }

    /// Calls STS at this URL (`https://host[:port]`, or `http://` for a loopback stand-in).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts.endpoint = Some(url.into());
        self
    }

    /// Calls the international site's STS, `sts.intl.tencentcloudapi.com`.
    pub fn international(mut self) -> Self {
        self.sts.international = true;
        self
    }

    /// Time allowed for the whole STS request; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.sts.timeout = timeout;
        self
    }

    /// Time allowed to connect to STS; default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.sts.connect_timeout = timeout;
        self
    }

    /// Refreshes this long before expiry (see [`CachedProviderBuilder::refresh_margin`](super::CachedProviderBuilder::refresh_margin)).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.sts.margin = Some(margin);
        self
    }

    /// Checks the settings and builds the provider. Nothing is sent until the first call.
    pub fn build(self) -> Result<AssumeRoleProvider, BuildError> {
        let base = self
            .base
            .ok_or_else(|| ConfigError("AssumeRole needs base credentials to sign with".to_owned()))?;
        let role_arn = required(self.role_arn, "AssumeRole role ARN")?;
        let duration = check_duration(self.duration.unwrap_or(DEFAULT_DURATION))?;
        let session_name = self.session_name.unwrap_or_else(default_session_name);
        if session_name.trim().is_empty() {
            return Err(ConfigError("AssumeRole role session name must not be empty".to_owned()).into());
        }
        let source = AssumeRoleSource {
            client: self.sts.client(DEFAULT_STS_REGION)?,
            signer: Signer::new(SERVICE),
            base,
            role_arn,
            session_name,
            duration,
            policy: self.policy,
            external_id: self.external_id,
        };
        Ok(AssumeRoleProvider {
            cache: self.sts.cache(source, "the STS AssumeRole provider"),
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.source().fmt(f)
    }
}

struct AssumeRoleSource {
    client: StsClient,
    signer: Signer,
    base: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration: u64,
    policy: Option<String>,
    external_id: Option<String>,
}

#[derive(serde::Serialize)]
struct AssumeRoleBody<'a> {
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration: u64,
    #[serde(rename = "Policy", skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    #[serde(rename = "ExternalId", skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
}

impl AssumeRoleSource {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let base = self.base.provide_credentials().await?;
        base.check("the base credentials for STS")?;
        let body = serde_json::to_vec(&AssumeRoleBody {
            role_arn: &self.role_arn,
            session_name: &self.session_name,
            duration: self.duration,
            policy: self.policy.as_deref(),
            external_id: self.external_id.as_deref(),
        })
        .map_err(|_| CredentialsError::Provider {
            message: "the AssumeRole request could not be encoded".to_owned(),
        })?;
        self.client
            .call("AssumeRole", body, Auth::Signed(&self.signer, &base), None)
            .await
    }
}

impl ProvideCredentials for AssumeRoleSource {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        boxed(self.fetch())
    }
}

impl fmt::Debug for AssumeRoleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("endpoint", &self.client.endpoint.url.as_str())
            .field("region", &self.client.region)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.session_name)
            .field("duration_seconds", &self.duration)
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

// ----- AssumeRoleWithWebIdentity (TKE OIDC) ------------------------------------------------

/// Credentials of a CAM role assumed with STS `AssumeRoleWithWebIdentity`, for pods of a TKE
/// cluster with an OIDC identity; cached and refreshed before they expire (see
/// [`CachedProvider`]).
///
/// The request is sent unsigned (`Authorization: SKIP`): the pod's web identity token, read
/// again from its file at every refresh (the kubelet rotates it), is what authenticates.
/// [`OidcRoleProvider::from_env`] takes everything from the variables TKE sets:
/// `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`.
///
/// ```
/// use tencentcloud_runtime::credentials::OidcRoleProvider;
/// # fn main() -> Result<(), tencentcloud_runtime::BuildError> {
/// let provider = OidcRoleProvider::builder()
///     .region("ap-guangzhou")
///     .provider_id("cls-example")
///     .web_identity_token_file("/var/run/secrets/tke.cloud.tencent.com/serviceaccount/token")
///     .role_arn("qcs::cam::uin/100000000001:roleName/edgeone-automation")
///     .build()?;
/// # let _ = provider;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct OidcRoleProvider {
    cache: CachedProvider,
}

/// Configures an [`OidcRoleProvider`].
#[derive(Clone, Debug, Default)]
pub struct OidcRoleProviderBuilder {
    provider_id: Option<String>,
    token_file: Option<PathBuf>,
    role_arn: Option<String>,
    session_name: Option<String>,
    duration: Option<Duration>,
    sts: StsSettings,
}

impl OidcRoleProvider {
    /// Starts configuring the provider; region, provider id, token file and role ARN are
    /// required.
    pub fn builder() -> OidcRoleProviderBuilder {
        OidcRoleProviderBuilder::default()
    }

    /// The provider TKE's variables describe (`TKE_REGION`, `TKE_PROVIDER_ID`,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`), read from the process environment now.
    /// A missing variable is an error naming it.
    pub fn from_env() -> Result<Self, BuildError> {
        OidcRoleProvider::builder().tke_variables(&Vars::Process)?.build()
    }
}

impl OidcRoleProviderBuilder {
    /// Fills every TKE setting from `vars`; the chain re-reads them at each refresh instead.
    fn tke_variables(mut self, vars: &Vars) -> Result<Self, CredentialsError> {
        let settings = TkeVariables::read(vars)?;
        self.sts.region = Some(settings.region);
        self.provider_id = Some(settings.provider_id);
        self.token_file = Some(settings.token_file);
        self.role_arn = Some(settings.role_arn);
        Ok(self)
    }

    /// The region STS is called in (sent as `X-TC-Region`); required (TKE sets `TKE_REGION`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.sts.region = Some(region.into());
        self
    }

    /// The OIDC identity provider's id (`TKE_PROVIDER_ID`); required.
    pub fn provider_id(mut self, id: impl Into<String>) -> Self {
        self.provider_id = Some(id.into());
        self
    }

    /// The file holding the web identity token (`TKE_WEB_IDENTITY_TOKEN_FILE`), read at each
    /// refresh; required.
    pub fn web_identity_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into());
        self
    }

    /// The role to assume (`TKE_ROLE_ARN`); required.
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into());
        self
    }

    /// The session name (default `tencentcloud-rust-<microseconds>`).
    pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last, 1 s to 12 h; default 7200 s.
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Calls STS at this URL (`https://host[:port]`, or `http://` for a loopback stand-in).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts.endpoint = Some(url.into());
        self
    }

    /// Calls the international site's STS, `sts.intl.tencentcloudapi.com`.
    pub fn international(mut self) -> Self {
        self.sts.international = true;
        self
    }

    /// Time allowed for the whole STS request; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.sts.timeout = timeout;
        self
    }

    /// Time allowed to connect to STS; default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.sts.connect_timeout = timeout;
        self
    }

    /// Refreshes this long before expiry (see [`CachedProviderBuilder::refresh_margin`](super::CachedProviderBuilder::refresh_margin)).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.sts.margin = Some(margin);
        self
    }

    /// Checks the settings and builds the provider. The token file is not read until the
    /// first call.
    pub fn build(self) -> Result<OidcRoleProvider, BuildError> {
        let source = self.source()?;
        Ok(OidcRoleProvider {
            cache: self.sts.cache(source, "the TKE OIDC provider"),
        })
    }

    fn source(&self) -> Result<OidcSource, BuildError> {
        let region = required(self.sts.region.clone(), "OIDC region")?;
        let client = StsSettings {
            region: Some(region),
            ..self.sts.clone()
        }
        .client(DEFAULT_STS_REGION)?;
        let token_file = self
            .token_file
            .clone()
            .ok_or_else(|| ConfigError("OIDC web identity token file is required".to_owned()))?;
        let session_name = self.session_name.clone().unwrap_or_else(default_session_name);
        Ok(OidcSource {
            client,
            provider_id: required(self.provider_id.clone(), "OIDC provider id")?,
            token_file,
            role_arn: required(self.role_arn.clone(), "OIDC role ARN")?,
            session_name,
            duration: check_duration(self.duration.unwrap_or(DEFAULT_DURATION))?,
        })
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

impl fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.source().fmt(f)
    }
}

/// The TKE variables, all four set.
struct TkeVariables {
    region: String,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
}

impl TkeVariables {
    /// All four from `vars`; none set is "not found", some set is an error naming one missing.
    fn read(vars: &Vars) -> Result<Self, CredentialsError> {
        let values: Vec<Option<String>> = TKE_VARIABLES
            .iter()
            .map(|name| {
                vars.get(name)
                    .map(|v| v.to_string_lossy().trim().to_owned())
                    .filter(|v| !v.is_empty())
            })
            .collect();
        let set = TKE_VARIABLES.iter().zip(&values).find(|(_, v)| v.is_some());
        let missing = TKE_VARIABLES.iter().zip(&values).find(|(_, v)| v.is_none());
        match (set, missing) {
            (None, _) => Err(CredentialsError::NotFound {
                tried: format!(
                    "TKE OIDC: environment variables {}, {}, {} and {} are not set",
                    TKE_VARIABLES[0], TKE_VARIABLES[1], TKE_VARIABLES[2], TKE_VARIABLES[3]
                ),
            }),
            (Some((set, _)), Some((missing, _))) => Err(CredentialsError::IncompleteEnvironment { set, missing }),
            (Some(_), None) => {
                let mut values = values.into_iter().map(Option::unwrap_or_default);
                let mut next = || values.next().unwrap_or_default();
                Ok(TkeVariables {
                    region: next(),
                    provider_id: next(),
                    token_file: PathBuf::from(next()),
                    role_arn: next(),
                })
            }
        }
    }
}

pub(crate) struct OidcSource {
    client: StsClient,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: String,
    duration: u64,
}

#[derive(serde::Serialize)]
struct WebIdentityBody<'a> {
    #[serde(rename = "ProviderId")]
    provider_id: &'a str,
    #[serde(rename = "WebIdentityToken")]
    token: &'a str,
    #[serde(rename = "RoleArn")]
    role_arn: &'a str,
    #[serde(rename = "RoleSessionName")]
    session_name: &'a str,
    #[serde(rename = "DurationSeconds")]
    duration: u64,
}

impl OidcSource {
    /// The source TKE's variables in `vars` describe, as they are now; "not found" when none
    /// of them is set.
    pub(crate) fn from_vars(vars: &Vars) -> Result<Self, CredentialsError> {
        let builder = OidcRoleProviderBuilder::default().tke_variables(vars)?;
        builder.source().map_err(|e| match e {
            BuildError::Credentials(e) => e,
            BuildError::Config(e) => CredentialsError::Provider {
                message: format!("TKE OIDC: {}", e.0),
            },
        })
    }

    pub(crate) async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let text =
            std::fs::read_to_string(&self.token_file).map_err(|error| CredentialsError::TokenFileUnreadable {
                path: self.token_file.clone(),
                error,
            })?;
        let token = Sensitive::new(text.trim().to_owned());
        if token.expose_secret().is_empty() {
            return Err(CredentialsError::InvalidValue {
                field: "web_identity_token",
                origin: format!("the web identity token file {}", self.token_file.display()),
                problem: "is empty",
            });
        }
        let body = serde_json::to_vec(&WebIdentityBody {
            provider_id: &self.provider_id,
            token: token.expose_secret(),
            role_arn: &self.role_arn,
            session_name: &self.session_name,
            duration: self.duration,
        })
        .map_err(|_| CredentialsError::Provider {
            message: "the AssumeRoleWithWebIdentity request could not be encoded".to_owned(),
        })?;
        self.client
            .call(
                "AssumeRoleWithWebIdentity",
                body,
                Auth::Skip,
                Some(token.expose_secret()),
            )
            .await
    }
}

impl ProvideCredentials for OidcSource {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        boxed(self.fetch())
    }
}

impl fmt::Debug for OidcSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleProvider")
            .field("endpoint", &self.client.endpoint.url.as_str())
            .field("region", &self.client.region)
            .field("provider_id", &self.provider_id)
            .field("web_identity_token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.session_name)
            .field("duration_seconds", &self.duration)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_server::{Reply, Server};

    const ROLE: &str = "qcs::cam::uin/100000000001:roleName/edge";
    const BASE_ID: &str = "AKIDBASE00000000";
    const BASE_KEY: &str = "SECRETBASEKEY";

    fn granted() -> Reply {
        Reply::ok(
            r#"{"Response":{"Credentials":{"Token":"SECRETSTSTOKEN","TmpSecretId":"AKIDSTSTEMP00000",
                "TmpSecretKey":"SECRETSTSKEY"},"ExpiredTime":4102444800,"Expiration":"2100-01-01T00:00:00Z",
                "RequestId":"req-1"}}"#,
        )
    }

    fn assume(server: &Server) -> AssumeRoleProviderBuilder {
        AssumeRoleProvider::builder()
            .endpoint(&server.url)
            .credentials(Credentials::with_token(BASE_ID, BASE_KEY, "SECRETBASETOKEN"))
            .role_arn(ROLE)
            .role_session_name("unit")
    }

    #[tokio::test]
    async fn assume_role_is_signed_for_sts_and_gives_temporary_credentials() {
        let server = Server::start(|_| granted()).await;
        let provider = assume(&server)
            .duration(Duration::from_secs(900))
            .policy("%7B%7D")
            .external_id("ext-1")
            .build()
            .unwrap();
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!(c.secret_id(), "AKIDSTSTEMP00000");
        assert_eq!(c.session_token(), Some("SECRETSTSTOKEN"));
        assert_eq!(c.expiry(), Some(super::super::cvm::unix_time(4_102_444_800)));
        provider.provide_credentials().await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "cached");
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
        assert_eq!(
            r.body,
            r#"{"RoleArn":"qcs::cam::uin/100000000001:roleName/edge","RoleSessionName":"unit","DurationSeconds":900,"Policy":"%7B%7D","ExternalId":"ext-1"}"#
        );
        let header = |name: &str| r.headers.get(name).map(String::as_str);
        assert_eq!(header("x-tc-action"), Some("AssumeRole"));
        assert_eq!(header("x-tc-version"), Some("2018-08-13"));
        assert_eq!(header("x-tc-region"), Some("ap-guangzhou"));
        assert_eq!(header("x-tc-token"), Some("SECRETBASETOKEN"));
        let host = server.url.trim_start_matches("http://");
        assert_eq!(header("host"), Some(host));
        let timestamp: u64 = header("x-tc-timestamp").unwrap().parse().unwrap();
        let expected = Signer::new("sts").authorization(
            &Credentials::new(BASE_ID, BASE_KEY),
            &SignableRequest::post_json(host, r.body.as_bytes()),
            timestamp,
        );
        assert_eq!(header("authorization"), Some(expected.as_str()));
        assert!(expected.contains("/sts/tc3_request"), "{expected}");
    }

    #[tokio::test]
    async fn sts_errors_name_the_action_and_the_code() {
        let server = Server::start(|_| {
            Reply::ok(
                r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad signature"},
                    "RequestId":"req-2"}}"#,
            )
        })
        .await;
        let provider = assume(&server).build().unwrap();
        assert_eq!(
            provider.provide_credentials().await.unwrap_err().to_string(),
            format!(
                "no credentials from the STS AssumeRole provider: POST {}/ AssumeRole: service error \
                 AuthFailure.SignatureFailure: bad signature (request id req-2)",
                server.url
            )
        );
        let server = Server::start(|_| Reply::status(502, "<html>")).await;
        let provider = assume(&server).build().unwrap();
        assert!(provider
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string()
            .ends_with("AssumeRole: answered HTTP status 502"));
    }

    #[test]
    fn assume_role_settings_are_checked_when_built() {
        let err = |b: AssumeRoleProviderBuilder| b.build().unwrap_err().to_string();
        let base = || AssumeRoleProvider::builder().credentials(Credentials::new(BASE_ID, BASE_KEY));
        assert_eq!(
            err(base()),
            "invalid client configuration: AssumeRole role ARN is required"
        );
        assert_eq!(
            err(AssumeRoleProvider::builder().role_arn(ROLE)),
            "invalid client configuration: AssumeRole needs base credentials to sign with"
        );
        assert_eq!(
            err(base().role_arn(ROLE).endpoint("sts.example.com")),
            "invalid client configuration: endpoint \"sts.example.com\" is not a valid URL: relative URL without a base"
        );
        assert_eq!(
            err(base().role_arn(ROLE).duration(Duration::from_secs(43_201))),
            "invalid client configuration: STS duration 43201s must be between 1 and 43200 seconds"
        );
        let provider = base()
            .role_arn(ROLE)
            .role_session_name("s")
            .international()
            .build()
            .unwrap();
        assert_eq!(
            format!("{provider:?}"),
            "AssumeRoleProvider { endpoint: \"https://sts.intl.tencentcloudapi.com/\", region: \"ap-guangzhou\", \
             role_arn: \"qcs::cam::uin/100000000001:roleName/edge\", role_session_name: \"s\", duration_seconds: \
             7200, base: Credentials { secret_id: \"AKID…0000\", secret_key: ** redacted **, session_token: None }, \
             .. }"
        );
    }

    fn token_file(tag: &str, token: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!("tc-runtime-oidc-{}-{tag}", std::process::id()));
        std::fs::write(&path, token).unwrap();
        path
    }

    #[tokio::test]
    async fn oidc_is_sent_unsigned_with_the_token_read_at_each_refresh() {
        let server = Server::start(|_| granted()).await;
        let file = token_file("refresh", "SECRETWEBTOKEN1\n");
        let provider = OidcRoleProvider::builder()
            .endpoint(&server.url)
            .region("ap-shanghai")
            .provider_id("cls-1")
            .web_identity_token_file(&file)
            .role_arn(ROLE)
            .role_session_name("pod")
            .build()
            .unwrap();
        assert_eq!(
            provider.provide_credentials().await.unwrap().secret_id(),
            "AKIDSTSTEMP00000"
        );
        let r = &server.requests()[0];
        assert_eq!(r.headers.get("authorization").map(String::as_str), Some("SKIP"));
        assert_eq!(
            r.headers.get("x-tc-action").map(String::as_str),
            Some("AssumeRoleWithWebIdentity")
        );
        assert_eq!(r.headers.get("x-tc-region").map(String::as_str), Some("ap-shanghai"));
        assert!(!r.headers.contains_key("x-tc-token"));
        assert_eq!(
            r.body,
            r#"{"ProviderId":"cls-1","WebIdentityToken":"SECRETWEBTOKEN1","RoleArn":"qcs::cam::uin/100000000001:roleName/edge","RoleSessionName":"pod","DurationSeconds":7200}"#
        );

        // The uncached source reads the file again each time.
        std::fs::write(&file, "SECRETWEBTOKEN2").unwrap();
        let source = OidcRoleProvider::builder()
            .endpoint(&server.url)
            .region("ap-shanghai")
            .provider_id("cls-1")
            .web_identity_token_file(&file)
            .role_arn(ROLE)
            .source()
            .unwrap();
        source.fetch().await.unwrap();
        assert!(server.requests()[1].body.contains("\"SECRETWEBTOKEN2\""));
        let _ = std::fs::remove_file(file);
    }

    #[tokio::test]
    async fn oidc_errors_never_echo_the_token() {
        let server = Server::start(|seen| {
            let echoed = if seen.body.contains("SECRETWEBTOKEN") { "SECRETWEBTOKEN" } else { "" };
            Reply::ok(format!(
                r#"{{"Response":{{"Error":{{"Code":"InvalidParameter.WebIdentityTokenError","Message":"token {echoed} expired"}},"RequestId":"r"}}}}"#
            ))
        })
        .await;
        let file = token_file("echo", "SECRETWEBTOKEN");
        let provider = OidcRoleProvider::builder()
            .endpoint(&server.url)
            .region("ap-guangzhou")
            .provider_id("cls-1")
            .web_identity_token_file(&file)
            .role_arn(ROLE)
            .build()
            .unwrap();
        let error = provider.provide_credentials().await.unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "no credentials from the TKE OIDC provider: POST {}/ AssumeRoleWithWebIdentity: service error \
                 InvalidParameter.WebIdentityTokenError: token ** redacted ** expired (request id r)",
                server.url
            )
        );
        let _ = std::fs::remove_file(file);
    }

    #[tokio::test]
    async fn a_missing_or_empty_token_file_is_an_error_naming_it() {
        let missing = std::env::temp_dir().join("tc-runtime-oidc-no-such-file");
        let builder = OidcRoleProvider::builder()
            .region("ap-guangzhou")
            .provider_id("cls-1")
            .role_arn(ROLE);
        let provider = builder.clone().web_identity_token_file(&missing).build().unwrap();
        let error = provider.provide_credentials().await.unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "no credentials from the TKE OIDC provider: cannot read the web identity token file {}: ",
                missing.display()
            )),
            "{error}"
        );
        let empty = token_file("empty", " \n");
        let provider = builder.web_identity_token_file(&empty).build().unwrap();
        assert_eq!(
            provider.provide_credentials().await.unwrap_err().to_string(),
            format!(
                "no credentials from the TKE OIDC provider: invalid web_identity_token from the web identity token \
                 file {}: is empty",
                empty.display()
            )
        );
        let _ = std::fs::remove_file(empty);
    }

    #[test]
    fn tke_variables_are_all_or_nothing() {
        let vars = |pairs: &[(&str, &str)]| Vars::fixed(pairs.iter().map(|(k, v)| (*k, *v)));
        assert!(TkeVariables::read(&vars(&[])).err().unwrap().is_not_found());
        assert_eq!(
            TkeVariables::read(&vars(&[(ENV_TKE_ROLE_ARN, ROLE)]))
                .err()
                .unwrap()
                .to_string(),
            "incomplete credentials in the environment: TKE_ROLE_ARN is set but TKE_REGION is not"
        );
        let all = vars(&[
            (ENV_TKE_REGION, "ap-guangzhou"),
            (ENV_TKE_PROVIDER_ID, "cls-1"),
            (ENV_TKE_WEB_IDENTITY_TOKEN_FILE, "/token"),
            (ENV_TKE_ROLE_ARN, ROLE),
        ]);
        let source = OidcSource::from_vars(&all).unwrap();
        assert_eq!(
            format!("{source:?}"),
            "OidcRoleProvider { endpoint: \"https://sts.tencentcloudapi.com/\", region: \"ap-guangzhou\", \
             provider_id: \"cls-1\", web_identity_token_file: \"/token\", role_arn: \
             \"qcs::cam::uin/100000000001:roleName/edge\", role_session_name: \"tencentcloud-rust-SESSION\", \
             duration_seconds: 7200, .. }"
                .replace("tencentcloud-rust-SESSION", &source.session_name)
        );
        assert_eq!(
            OidcRoleProvider::builder().region("r").build().unwrap_err().to_string(),
            "invalid client configuration: OIDC web identity token file is required"
        );
    }
}
