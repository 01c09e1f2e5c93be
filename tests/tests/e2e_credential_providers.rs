//! End to end, the temporary-credential providers against the stand-in's loopback metadata
//! service and STS, linked to a TEO stand-in that accepts each issued key and token until its
//! `ExpiredTime`: the CVM role, STS `AssumeRole` and TKE OIDC providers each sign verified calls;
//! credentials are refreshed before they expire; 100 concurrent calls make one credentials
//! request; a failed refresh serves credentials that are still valid and fails calls only once
//! they expired; the default chain finds the CVM role; faults (down, slow, `Code` not
//! `Success`, malformed JSON, STS errors) become typed errors; no secret reaches `Debug`, an
//! error or a log line.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{assert_hidden, signed_secret_id, ZONE};
use generated_client::credentials::{
    AssumeRoleProvider, CvmRoleProvider, DefaultChain, OidcRoleProvider, ENV_METADATA_ENDPOINT,
};
use generated_client::errors::RefreshMultiPathGatewaySecretKeyError as RefreshError;
use generated_client::{Client, CredentialsError, Error, ProvideCredentials, RateLimit};
use teo_stand_in::{IssuedCredentials, MetadataFault, MetadataServer, StandIn, StsFault, StsServer};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/edgeone-automation";
const ROLES_PATH: &str = "/latest/meta-data/cam/security-credentials/";

async fn stand_in() -> StandIn {
    let stand_in = StandIn::start().await.expect("the stand-in starts");
    stand_in.set_zone_key(ZONE, common::GATEWAY_KEY);
    stand_in
}

async fn metadata(stand_in: &StandIn, lifetime: Duration) -> MetadataServer {
    MetadataServer::builder()
        .lifetime(lifetime)
        .issue_to(stand_in)
        .start()
        .await
        .expect("the metadata server starts")
}

async fn sts(stand_in: &StandIn, lifetime: Duration) -> StsServer {
    StsServer::builder()
        .lifetime(lifetime)
        .issue_to(stand_in)
        .start()
        .await
        .expect("the STS stand-in starts")
}

fn client(stand_in: &StandIn, provider: impl ProvideCredentials + 'static) -> Client {
    Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials_provider(provider)
        .rate_limit(RateLimit::Disabled)
        .disable_retries()
        .build()
        .expect("the client builds")
}

async fn refresh(client: &Client) -> Result<(), Error<RefreshError>> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .map(drop)
}

/// The last request was verified, signed with `issued`'s key and sent its token.
fn assert_signed_with(stand_in: &StandIn, issued: &IssuedCredentials) {
    let requests = stand_in.requests();
    let request = requests.last().expect("a request was sent");
    assert!(request.verification.passed(), "{request:?}");
    assert_eq!(signed_secret_id(request).as_deref(), Some(issued.secret_id()));
    assert_eq!(request.header("x-tc-token"), Some(issued.token()));
}

/// Sleeps until `seconds` (Unix time, fractional) on the system clock.
async fn sleep_until_unix(seconds: f64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64();
    if seconds > now {
        tokio::time::sleep(Duration::from_secs_f64(seconds - now)).await;
    }
}

fn token_file(name: &str, token: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("e2e-credential-providers-{name}-{}", std::process::id()));
    std::fs::write(&path, token).expect("the token file is written");
    path
}

#[tokio::test]
async fn the_cvm_role_provider_signs_verified_calls_and_asks_once() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(7200)).await;
    let provider = CvmRoleProvider::builder()
        .endpoint(metadata.endpoint())
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    for _ in 0..5 {
        refresh(&client).await.expect("a verified call");
    }
    let issued = metadata.last_issued().expect("credentials were issued");
    assert_signed_with(&stand_in, &issued);
    assert_eq!(metadata.credential_requests(), 1, "cached");
    assert_eq!(metadata.requests(), 2, "the role name, then its credentials");
}

#[tokio::test]
async fn the_assume_role_provider_signs_with_base_credentials_for_sts() {
    let stand_in = stand_in().await;
    let sts = sts(&stand_in, Duration::from_secs(7200)).await;
    let provider = AssumeRoleProvider::builder()
        .endpoint(sts.endpoint())
        .credentials(generated_client::Credentials::new(
            StsServer::DEFAULT_SECRET_ID,
            StsServer::DEFAULT_SECRET_KEY,
        ))
        .role_arn(ROLE_ARN)
        .role_session_name("e2e-assume")
        .duration(Duration::from_secs(1800))
        .external_id("e2e-external")
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    refresh(&client).await.expect("a verified call");
    refresh(&client).await.expect("a verified call");
    assert_signed_with(&stand_in, &sts.last_issued().expect("issued"));
    assert_eq!(sts.request_count("AssumeRole"), 1);
    let body = sts.last_body("AssumeRole").expect("the body was recorded");
    assert_eq!(body["RoleArn"], ROLE_ARN);
    assert_eq!(body["RoleSessionName"], "e2e-assume");
    assert_eq!(body["DurationSeconds"], 1800);
    assert_eq!(body["ExternalId"], "e2e-external");

    // Wrong base credentials: STS refuses the signature, and the call says so.
    let wrong = AssumeRoleProvider::builder()
        .endpoint(sts.endpoint())
        .credentials(generated_client::Credentials::new(
            StsServer::DEFAULT_SECRET_ID,
            "not-the-key",
        ))
        .role_arn(ROLE_ARN)
        .build()
        .expect("builds");
    let error = refresh(&client_for(&stand_in, wrong)).await.expect_err("refused");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "credentials error: no credentials from the STS AssumeRole provider: POST {}/ AssumeRole: service \
             error AuthFailure.SignatureFailure: ",
            sts.endpoint().trim_end_matches('/')
        )),
        "{text}"
    );
}

fn client_for(stand_in: &StandIn, provider: impl ProvideCredentials + 'static) -> Client {
    client(stand_in, provider)
}

#[tokio::test]
async fn the_oidc_provider_sends_the_token_file_unsigned_and_rereads_it() {
    let stand_in = stand_in().await;
    let sts = sts(&stand_in, Duration::from_secs(4)).await;
    let file = token_file("oidc", &format!("{}\n", StsServer::DEFAULT_WEB_IDENTITY_TOKEN));
    let provider = OidcRoleProvider::builder()
        .endpoint(sts.endpoint())
        .region("ap-guangzhou")
        .provider_id("e2e-provider")
        .web_identity_token_file(&file)
        .role_arn(ROLE_ARN)
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    refresh(&client).await.expect("a verified call");
    let first = sts.last_issued().expect("issued");
    assert_signed_with(&stand_in, &first);
    let body = sts.last_body("AssumeRoleWithWebIdentity").expect("recorded");
    assert_eq!(body["WebIdentityToken"], StsServer::DEFAULT_WEB_IDENTITY_TOKEN);

    // The kubelet rotates the token; STS now wants the new one. After expiry, the next refresh
    // reads the file again.
    sts.set_web_identity_token("rotated-web-identity-token");
    std::fs::write(&file, "rotated-web-identity-token").expect("rewritten");
    sleep_until_unix(first.expired_time() as f64 + 0.2).await;
    refresh(&client)
        .await
        .expect("a verified call with refreshed credentials");
    let second = sts.last_issued().expect("issued");
    assert_ne!(first.secret_id(), second.secret_id());
    assert_signed_with(&stand_in, &second);
    assert_eq!(sts.request_count("AssumeRoleWithWebIdentity"), 2);
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn credentials_are_refreshed_before_they_expire_without_a_failed_call() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(4)).await;
    let provider = CvmRoleProvider::builder()
        .endpoint(metadata.endpoint())
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    refresh(&client).await.expect("a verified call");
    let first = metadata.last_issued().expect("issued");
    // Inside the margin (a quarter of the lifetime), before expiry: served, refreshed behind.
    sleep_until_unix(first.expired_time() as f64 - 0.4).await;
    refresh(&client).await.expect("still valid");
    assert_signed_with(&stand_in, &first);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(metadata.credential_requests(), 2, "refreshed in the background");
    refresh(&client).await.expect("a verified call");
    assert_signed_with(&stand_in, &metadata.last_issued().expect("issued"));
    assert_eq!(
        stand_in.requests().iter().filter(|r| !r.verification.passed()).count(),
        0
    );
}

#[tokio::test]
async fn a_hundred_concurrent_calls_make_one_credentials_request() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(7200)).await;
    metadata.set_fault(MetadataFault::Slow(Duration::from_millis(200)));
    let provider = CvmRoleProvider::builder()
        .endpoint(metadata.endpoint())
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { refresh(&client).await })
        })
        .collect();
    for call in calls {
        call.await.expect("the task ran").expect("a verified call");
    }
    assert_eq!(metadata.credential_requests(), 1);
    assert_eq!(stand_in.requests().len(), 100);
    assert!(stand_in.requests().iter().all(|r| r.verification.passed()));
}

#[tokio::test]
async fn a_failed_refresh_serves_valid_credentials_then_fails_calls_once_they_expired() {
    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(4)).await;
    let provider = CvmRoleProvider::builder()
        .endpoint(metadata.endpoint())
        .build()
        .expect("builds");
    let client = client(&stand_in, provider);
    refresh(&client).await.expect("a verified call");
    let issued = metadata.last_issued().expect("issued");

    metadata.set_fault(MetadataFault::Down);
    sleep_until_unix(issued.expired_time() as f64 - 0.4).await;
    refresh(&client)
        .await
        .expect("the refresh fails, the valid credentials are served");
    tokio::time::sleep(Duration::from_millis(100)).await;
    refresh(&client).await.expect("still served");
    assert_signed_with(&stand_in, &issued);

    sleep_until_unix(issued.expired_time() as f64 + 0.1).await;
    let error = refresh(&client).await.expect_err("expired");
    let Error::Credentials(CredentialsError::Expired { provider, .. }) = &error else {
        panic!("expected an expired-credentials error, got {error:?}");
    };
    assert_eq!(provider, "the CVM role provider");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "credentials error: the credentials from the CVM role provider have expired and could not be \
             refreshed: GET {}{ROLES_PATH}: the connection failed: ",
            metadata.endpoint().trim_end_matches('/')
        )),
        "{text}"
    );

    // Within the backoff (2 s after the second failure in a row) calls fail at once with the
    // same error and nothing is asked; after it, calls work again with new credentials.
    metadata.clear_fault();
    let asked = metadata.requests();
    let again = refresh(&client).await.expect_err("backing off");
    assert_eq!(again.to_string(), text);
    assert_eq!(metadata.requests(), asked);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    refresh(&client).await.expect("recovered");
    let recovered = metadata.last_issued().expect("issued");
    assert_signed_with(&stand_in, &recovered);

    let secrets = [
        issued.secret_key(),
        issued.token(),
        recovered.secret_key(),
        recovered.token(),
    ];
    assert_hidden("the error", &format!("{error} {error:?}"), &secrets);
    assert_hidden("the client", &format!("{client:?}"), &secrets);
    let lines = capture.lines().join("\n");
    assert!(lines.contains("refreshing credentials failed"), "{lines}");
    assert_hidden("the log", &lines, &secrets);
}

#[tokio::test]
async fn metadata_faults_become_typed_errors_quickly() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(7200)).await;
    let endpoint = metadata.endpoint().trim_end_matches('/').to_owned();
    let role_url = format!("{endpoint}{ROLES_PATH}{}", MetadataServer::DEFAULT_ROLE);
    let fresh = || {
        CvmRoleProvider::builder()
            .endpoint(metadata.endpoint())
            .build()
            .expect("builds")
    };

    metadata.set_fault(MetadataFault::CodeNotSuccess);
    let error = refresh(&client(&stand_in, fresh())).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        format!(
            "credentials error: no credentials from the CVM role provider: GET {role_url}: answered Code \
             \"Failure\", not \"Success\""
        )
    );

    metadata.set_fault(MetadataFault::MalformedJson);
    let error = refresh(&client(&stand_in, fresh())).await.expect_err("malformed");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "credentials error: no credentials from the CVM role provider: GET {role_url}: the answer is malformed \
             JSON (line "
        )),
        "{text}"
    );

    metadata.set_fault(MetadataFault::Slow(Duration::from_secs(5)));
    let started = Instant::now();
    let error = refresh(&client(&stand_in, fresh())).await.expect_err("too slow");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        error
            .to_string()
            .ends_with("cam/security-credentials/: no answer within 1s"),
        "{error}"
    );
    assert!(stand_in.requests().is_empty(), "nothing reached TEO");
}

#[tokio::test]
async fn sts_faults_become_typed_errors() {
    let stand_in = stand_in().await;
    let sts = sts(&stand_in, Duration::from_secs(7200)).await;
    let fresh = || {
        AssumeRoleProvider::builder()
            .endpoint(sts.endpoint())
            .credentials(generated_client::Credentials::new(
                StsServer::DEFAULT_SECRET_ID,
                StsServer::DEFAULT_SECRET_KEY,
            ))
            .role_arn(ROLE_ARN)
            .timeout(Duration::from_millis(500))
            .build()
            .expect("builds")
    };
    let request = format!("POST {}/ AssumeRole", sts.endpoint().trim_end_matches('/'));

    sts.set_fault(StsFault::api_error("InternalError.SystemError", "try again"));
    let text = refresh(&client(&stand_in, fresh()))
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        text.starts_with(&format!(
            "credentials error: no credentials from the STS AssumeRole provider: {request}: service error \
             InternalError.SystemError: try again (request id "
        )),
        "{text}"
    );

    sts.set_fault(StsFault::MalformedJson);
    let text = refresh(&client(&stand_in, fresh()))
        .await
        .expect_err("malformed")
        .to_string();
    assert!(
        text.contains(&format!("{request}: the answer is malformed JSON (line ")),
        "{text}"
    );

    sts.set_fault(StsFault::Slow(Duration::from_secs(5)));
    let started = Instant::now();
    let text = refresh(&client(&stand_in, fresh()))
        .await
        .expect_err("slow")
        .to_string();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(text.ends_with(&format!("{request}: no answer within 0.5s")), "{text}");

    sts.set_fault(StsFault::Down);
    let text = refresh(&client(&stand_in, fresh()))
        .await
        .expect_err("down")
        .to_string();
    assert!(text.contains(&format!("{request}: the connection failed: ")), "{text}");
    assert!(stand_in.requests().is_empty(), "nothing reached TEO");
}

#[tokio::test]
async fn the_default_chain_falls_through_to_the_cvm_role() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(7200)).await;
    let nowhere = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-credential-providers-no-home");
    let chain = DefaultChain::from_vars([
        ("HOME", nowhere.to_str().expect("UTF-8").to_owned()),
        (ENV_METADATA_ENDPOINT, metadata.endpoint()),
    ]);
    let client = client(&stand_in, chain);
    refresh(&client).await.expect("a verified call");
    refresh(&client).await.expect("a verified call");
    assert_signed_with(&stand_in, &metadata.last_issued().expect("issued"));
    assert_eq!(metadata.credential_requests(), 1);
}

#[tokio::test]
async fn providers_show_their_settings_but_no_secret() {
    let stand_in = stand_in().await;
    let metadata = metadata(&stand_in, Duration::from_secs(7200)).await;
    let provider = CvmRoleProvider::builder()
        .endpoint(metadata.endpoint())
        .build()
        .expect("builds");
    let client = client(&stand_in, provider.clone());
    refresh(&client).await.expect("a verified call");
    let issued = metadata.last_issued().expect("issued");
    let credentials = provider.provide_credentials().await.expect("cached");
    assert_eq!(
        format!("{credentials:?}"),
        format!(
            "Credentials {{ secret_id: \"{}…{}\", secret_key: ** redacted **, session_token: Some(** redacted **), \
             expires_at_unix: {} }}",
            &issued.secret_id()[..4],
            &issued.secret_id()[issued.secret_id().len() - 4..],
            issued.expired_time()
        )
    );
    assert_eq!(
        format!("{provider:?}"),
        format!(
            "CvmRoleProvider {{ endpoint: \"{}/\", role_name: None, timeout: 1s }}",
            metadata.endpoint().trim_end_matches('/')
        )
    );
    let secrets = [issued.secret_key(), issued.token()];
    assert_hidden("the client", &format!("{client:?} {client:#?}"), &secrets);
}
