//! End to end, credentials from every source: explicit values, temporary credentials with a
//! token, the environment (through the provider that reads given variables, so the process
//! environment is left alone), a profile file, the default chain (resolved on the first call,
//! not when the client is built), and a caller's rotating provider. Each signs a call the stand-in verifies independently. Unusable values are
//! refused with an error that names the field and source, never the value, and nothing is sent.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use common::{assert_hidden, outcomes, signed_secret_id, stand_in, GATEWAY_KEY, ZONE};
use generated_client::credentials::{
    CredentialsFuture, DefaultChain, EnvironmentProvider, ProfileProvider, ENV_METADATA_ENDPOINT, ENV_SECRET_ID,
    ENV_SECRET_KEY, ENV_SESSION_TOKEN,
};
use generated_client::errors::RefreshMultiPathGatewaySecretKeyError as RefreshError;
use generated_client::{BuildError, Client, ClientBuilder, Credentials, Error, ProvideCredentials};
use teo_stand_in::{Credentials as AcceptedCredentials, StandIn};

const SECRET_ID: &str = "AKIDE2ECREDENTIALS00000000000000";
const SECRET_KEY: &str = "e2e-credentials-secret-key-0000";
const TOKEN: &str = "e2e-credentials-session-token-0000";

/// A stand-in that accepts only `secret_id`/`secret_key` (and `token`, when given).
async fn accepting(secret_id: &str, secret_key: &str, token: Option<&str>) -> StandIn {
    let builder = StandIn::builder().credentials(secret_id, secret_key);
    let builder = match token {
        Some(token) => builder.session_token(token),
        None => builder,
    };
    let stand_in = builder.start().await.expect("the stand-in starts");
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in
}

/// A builder for `stand_in` with fast retries and no credentials chosen yet.
fn bare_builder(stand_in: &StandIn) -> ClientBuilder {
    Client::builder()
        .endpoint(stand_in.endpoint())
        .retry(common::fast_retry())
}

async fn refresh(client: &Client) -> Result<String, Error<RefreshError>> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .map(|output| output.secret_key.map(|k| k.into_secret()).unwrap_or_default())
}

/// Checks the last request was signed with `secret_id`, carried `token` (or none), passed the
/// stand-in's checks and changed the key to the one returned.
fn assert_signed_by(stand_in: &StandIn, key: &str, secret_id: &str, token: Option<&str>) {
    let requests = stand_in.requests();
    let request = requests.last().expect("a request was sent");
    assert!(request.verification.passed(), "{request:?}");
    assert_eq!(signed_secret_id(request).as_deref(), Some(secret_id));
    assert_eq!(request.header("x-tc-token"), token);
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(key));
}

/// A fresh directory under Cargo's scratch space for integration tests.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("e2e-credentials-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch directory can be created");
    dir
}

#[tokio::test]
async fn explicit_credentials_sign_a_verified_call() {
    let stand_in = accepting(SECRET_ID, SECRET_KEY, None).await;
    let client = bare_builder(&stand_in)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, None);
}

#[tokio::test]
async fn temporary_credentials_send_their_token() {
    let stand_in = accepting(SECRET_ID, SECRET_KEY, Some(TOKEN)).await;
    let client = bare_builder(&stand_in)
        .credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN))
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, Some(TOKEN));

    // The same key pair without the token is refused by the service.
    let tokenless = bare_builder(&stand_in)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .expect("builds");
    let error = refresh(&tokenless).await.expect_err("token missing");
    assert_eq!(error.code(), Some("AuthFailure.TokenFailure"));
}

#[tokio::test]
async fn environment_variables_given_to_the_provider_sign_a_verified_call() {
    let stand_in = accepting(SECRET_ID, SECRET_KEY, None).await;
    let provider = EnvironmentProvider::from_vars([(ENV_SECRET_ID, SECRET_ID), (ENV_SECRET_KEY, SECRET_KEY)]);
    let client = bare_builder(&stand_in)
        .credentials_provider(provider)
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, None);

    let temporary = accepting(SECRET_ID, SECRET_KEY, Some(TOKEN)).await;
    let provider = EnvironmentProvider::from_vars([
        (ENV_SECRET_ID, SECRET_ID),
        (ENV_SECRET_KEY, SECRET_KEY),
        (ENV_SESSION_TOKEN, TOKEN),
    ]);
    let client = bare_builder(&temporary)
        .credentials_provider(provider)
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&temporary, &key, SECRET_ID, Some(TOKEN));
}

#[tokio::test]
async fn a_profile_file_signs_a_verified_call() {
    let dir = scratch_dir("profile");
    let path = dir.join("credentials");
    std::fs::write(
        &path,
        format!(
            "# written by e2e_credentials\n[default]\nsecret_id = AKIDDEFAULTPROFILE0000000\nsecret_key = other\n\n\
             [e2e]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\n\n\
             [e2e-temporary]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\ntoken = {TOKEN}\n"
        ),
    )
    .expect("the profile file is written");

    let stand_in = accepting(SECRET_ID, SECRET_KEY, None).await;
    let client = bare_builder(&stand_in)
        .credentials_provider(ProfileProvider::from_file(&path, Some("e2e")))
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, None);

    let temporary = accepting(SECRET_ID, SECRET_KEY, Some(TOKEN)).await;
    let client = bare_builder(&temporary)
        .credentials_provider(ProfileProvider::from_file(&path, Some("e2e-temporary")))
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&temporary, &key, SECRET_ID, Some(TOKEN));

    // The default profile holds other credentials, which the stand-in refuses.
    let client = bare_builder(&stand_in)
        .credentials_provider(ProfileProvider::from_file(&path, None))
        .build()
        .expect("builds");
    let error = refresh(&client).await.expect_err("wrong profile");
    assert_eq!(error.code(), Some("AuthFailure.SecretIdNotFound"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_default_chain_reads_the_environment_then_the_profile_file() {
    let home = scratch_dir("chain-home");
    std::fs::create_dir_all(home.join(".tencentcloud")).expect("mkdir");
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        format!("[default]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\n"),
    )
    .expect("the profile file is written");
    let home_var = home.to_str().expect("the scratch path is UTF-8").to_owned();
    let stand_in = accepting(SECRET_ID, SECRET_KEY, None).await;

    // Only the profile file under HOME: the chain falls through to it.
    let chain = DefaultChain::from_vars([("HOME", home_var.as_str())]);
    let client = bare_builder(&stand_in)
        .credentials_provider(chain)
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, None);

    // The environment wins over the file.
    let env_id = "AKIDE2EFROMTHEENVIRONMENT000000";
    let env_key = "e2e-environment-secret-key-000";
    stand_in.set_credentials(AcceptedCredentials::new(env_id, env_key));
    let chain = DefaultChain::from_vars([
        ("HOME", home_var.as_str()),
        (ENV_SECRET_ID, env_id),
        (ENV_SECRET_KEY, env_key),
    ]);
    let client = bare_builder(&stand_in)
        .credentials_provider(chain)
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, env_id, None);

    // Nothing anywhere (the CVM source pointed at a loopback port nothing listens on): the first
    // call fails quickly, the error lists every source and why it had nothing, and nothing is sent.
    let before = stand_in.requests().len();
    let nowhere = home.join("no-such-home");
    let metadata = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        format!("http://{}", listener.local_addr().expect("its address"))
    };
    let chain = DefaultChain::from_vars([
        ("HOME", nowhere.to_str().expect("UTF-8")),
        (ENV_METADATA_ENDPOINT, metadata.as_str()),
    ]);
    let client = bare_builder(&stand_in)
        .credentials_provider(chain)
        .build()
        .expect("builds");
    let started = std::time::Instant::now();
    let error = refresh(&client).await.expect_err("no credentials");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "credentials error: no credentials from the default chain: no credentials found: environment \
             variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set; no credentials profile file \
             at {}; CVM role: GET {metadata}/latest/meta-data/cam/security-credentials/: cannot connect: \
             Connection refused (os error 111); TKE OIDC: environment variables TKE_REGION, TKE_PROVIDER_ID, \
             TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN are not set",
            nowhere.join(".tencentcloud/credentials").display()
        )
    );
    assert_eq!(stand_in.requests().len(), before);
    let _ = std::fs::remove_dir_all(home);
}

/// A caller's provider whose credentials are replaced while the client is in use, as an STS
/// refresher or a secrets manager would.
#[derive(Debug, Clone)]
struct Rotating {
    current: Arc<Mutex<Credentials>>,
    asked: Arc<Mutex<usize>>,
}

impl Rotating {
    fn new(credentials: Credentials) -> Self {
        Rotating {
            current: Arc::new(Mutex::new(credentials)),
            asked: Arc::new(Mutex::new(0)),
        }
    }

    fn rotate(&self, credentials: Credentials) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = credentials;
    }

    fn asked(&self) -> usize {
        *self.asked.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ProvideCredentials for Rotating {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        *self.asked.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        let credentials = self.current.lock().unwrap_or_else(PoisonError::into_inner).clone();
        Box::pin(async move { Ok(credentials) })
    }
}

#[tokio::test]
async fn a_rotating_provider_is_followed_from_one_call_to_the_next() {
    let stand_in = accepting(SECRET_ID, SECRET_KEY, None).await;
    let provider = Rotating::new(Credentials::new(SECRET_ID, SECRET_KEY));
    let client = bare_builder(&stand_in)
        .credentials_provider(provider.clone())
        .build()
        .expect("builds");
    let key = refresh(&client).await.expect("verified call");
    assert_signed_by(&stand_in, &key, SECRET_ID, None);
    assert_eq!(provider.asked(), 1);

    // The service switches to temporary credentials, and so does the provider.
    let next_id = "AKIDE2EROTATED0000000000000000";
    let next_key = "e2e-rotated-secret-key-0000000";
    let next_token = "e2e-rotated-session-token-0000";
    stand_in.set_credentials(AcceptedCredentials::new(next_id, next_key).with_session_token(next_token));
    let stale = bare_builder(&stand_in)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .expect("builds");
    let error = refresh(&stale).await.expect_err("the old key pair no longer works");
    assert_eq!(error.code(), Some("AuthFailure.SecretIdNotFound"));

    provider.rotate(Credentials::with_token(next_id, next_key, next_token));
    let key = refresh(&client).await.expect("verified call with the new credentials");
    assert_signed_by(&stand_in, &key, next_id, Some(next_token));
    assert_eq!(provider.asked(), 2, "asked once per attempt");
    assert_eq!(outcomes(&stand_in), ["ok", "AuthFailure.SecretIdNotFound", "ok"]);
}

#[test]
fn empty_or_padded_explicit_credentials_are_refused_when_building() {
    let stand_in_endpoint = "http://127.0.0.1:9";
    for (credentials, expected) in [
        (
            Credentials::new("", SECRET_KEY),
            "invalid secret_id from explicit credentials: is empty",
        ),
        (
            Credentials::new(SECRET_ID, "  "),
            "invalid secret_key from explicit credentials: is empty",
        ),
        (
            Credentials::new(format!(" {SECRET_ID}"), SECRET_KEY),
            "invalid secret_id from explicit credentials: has leading or trailing whitespace",
        ),
        (
            Credentials::new(SECRET_ID, format!("{SECRET_KEY}\n")),
            "invalid secret_key from explicit credentials: has leading or trailing whitespace",
        ),
        (
            Credentials::with_token(SECRET_ID, SECRET_KEY, format!("{TOKEN} ")),
            "invalid session_token from explicit credentials: has leading or trailing whitespace",
        ),
    ] {
        let error = Client::builder()
            .endpoint(stand_in_endpoint)
            .credentials(credentials)
            .build()
            .expect_err("unusable credentials");
        assert!(matches!(error, BuildError::Credentials(_)), "{error:?}");
        assert_eq!(error.to_string(), expected);
        assert_hidden("the build error", &format!("{error} {error:?}"), &[SECRET_KEY, TOKEN]);
    }
}

#[tokio::test]
async fn empty_or_padded_credentials_from_a_provider_are_refused_before_sending() {
    let stand_in = stand_in().await;
    let padded_key = format!(" {SECRET_KEY} ");
    let cases: Vec<(Box<dyn Fn() -> ClientBuilder>, String)> = vec![
        (
            Box::new(|| {
                bare_builder(&stand_in).credentials_provider(EnvironmentProvider::from_vars([
                    (ENV_SECRET_ID, SECRET_ID),
                    (ENV_SECRET_KEY, padded_key.as_str()),
                ]))
            }),
            "credentials error: invalid secret_key from environment variable TENCENTCLOUD_SECRET_KEY: \
             has leading or trailing whitespace"
                .to_owned(),
        ),
        (
            Box::new(|| {
                bare_builder(&stand_in).credentials_provider(EnvironmentProvider::from_vars([
                    (ENV_SECRET_ID, ""),
                    (ENV_SECRET_KEY, SECRET_KEY),
                ]))
            }),
            "credentials error: invalid secret_id from environment variable TENCENTCLOUD_SECRET_ID: is empty"
                .to_owned(),
        ),
        (
            Box::new(|| {
                bare_builder(&stand_in).credentials_provider(Rotating::new(Credentials::with_token(
                    SECRET_ID,
                    SECRET_KEY,
                    format!("\t{TOKEN}"),
                )))
            }),
            "credentials error: invalid session_token from the credentials provider: \
             has leading or trailing whitespace"
                .to_owned(),
        ),
        (
            Box::new(|| bare_builder(&stand_in).credentials_provider(Rotating::new(Credentials::new(SECRET_ID, "")))),
            "credentials error: invalid secret_key from the credentials provider: is empty".to_owned(),
        ),
    ];
    for (builder, expected) in cases {
        let client = builder().build().expect("a provider is only asked when a call is made");
        let error = refresh(&client).await.expect_err("unusable credentials");
        assert!(matches!(error, Error::Credentials(_)), "{error:?}");
        assert_eq!(error.to_string(), expected);
        assert_hidden("the call error", &format!("{error} {error:?}"), &[SECRET_KEY, TOKEN]);
    }

    // A profile file with an empty key names the file, profile and key.
    let dir = scratch_dir("bad-profile");
    let path = dir.join("credentials");
    std::fs::write(&path, format!("[default]\nsecret_id = {SECRET_ID}\nsecret_key =\n")).expect("written");
    let client = bare_builder(&stand_in)
        .credentials_provider(ProfileProvider::from_file(&path, None))
        .build()
        .expect("builds");
    let error = refresh(&client).await.expect_err("empty key");
    assert_eq!(
        error.to_string(),
        format!(
            "credentials error: invalid secret_key from credentials profile file {}, profile [default], key \
             secret_key: is empty",
            path.display()
        )
    );
    let _ = std::fs::remove_dir_all(dir);

    assert!(stand_in.requests().is_empty(), "nothing was sent");
}
