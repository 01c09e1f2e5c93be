//! The SSL Certificates service (`ssl`, 2019-12-05) on the stand-in's endpoint, over the wire:
//! upload, list (paging, search, type), delete, the Limit maximum, the signing scope each version
//! needs, the private-key rule, repeat uploads, TEO's ModifyHostsCertificate bound to the store,
//! and private keys kept out of every answer, record, `Debug` and log line.

mod common;

use common::{assert_all_verified, client, error_code, ok, refused, ssl_ok, ssl_refused, strings, Call, ZONE};
use serde_json::{json, Value};
use teo_stand_in::StandIn;

const WWW: &str = include_str!("fixtures/www.pem");
const WWW_KEY: &str = include_str!("fixtures/www.key");
const API: &str = include_str!("fixtures/api.pem");
const API_KEY: &str = include_str!("fixtures/api.key");
const CA: &str = include_str!("fixtures/ca.pem");

const UPLOAD: &str = "UploadCertificate";
const DESCRIBE: &str = "DescribeCertificates";
const DELETE: &str = "DeleteCertificate";

async fn stand_in() -> StandIn {
    StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts")
}

async fn upload(stand_in: &StandIn, body: Value) -> String {
    let answer = ssl_ok(stand_in, UPLOAD, body).await;
    answer["CertificateId"].as_str().expect("a CertificateId").to_owned()
}

/// The line of the key's body, a substring no answer or record may show.
fn key_body(key: &str) -> &str {
    key.lines().nth(1).expect("a PEM body line")
}

#[tokio::test]
async fn upload_list_page_and_delete() {
    let stand_in = stand_in().await;
    let www = upload(
        &stand_in,
        json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY, "Alias": "main site",
               "ProjectId": 7, "CertificateUse": "CDN", "Tags": [{"TagKey": "team", "TagValue": "edge"}]}),
    )
    .await;
    let ca = upload(
        &stand_in,
        json!({"CertificatePublicKey": CA, "CertificateType": "CA", "Alias": "edge ca"}),
    )
    .await;
    let api = upload(
        &stand_in,
        json!({"CertificatePublicKey": API, "CertificatePrivateKey": API_KEY}),
    )
    .await;
    for id in [www.as_str(), ca.as_str(), api.as_str()] {
        assert_eq!(id.len(), 8, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
    }

    let all = ssl_ok(&stand_in, DESCRIBE, json!({})).await;
    assert_eq!(all["TotalCount"], 3);
    assert_eq!(
        strings(&all["Certificates"], "CertificateId"),
        [www.as_str(), ca.as_str(), api.as_str()]
    );
    let first = &all["Certificates"][0];
    assert_eq!(first["Alias"], "main site");
    assert_eq!(first["CertificateType"], "SVR");
    assert_eq!(first["Domain"], "www.example.com");
    assert_eq!(first["SubjectAltName"], json!(["www.example.com", "example.com"]));
    assert_eq!(first["ProjectId"], "7");
    assert_eq!(first["Status"], 1);
    assert_eq!(first["From"], "upload");
    assert_eq!(first["CertEndTime"], "2036-11-29 18:21:36");
    assert_eq!(first["Tags"], json!([{"TagKey": "team", "TagValue": "edge"}]));
    assert!(
        first["InsertTime"].as_str().is_some_and(|time| time.len() == 19),
        "{first}"
    );
    assert!(first.get("CertificatePrivateKey").is_none() && !all.to_string().contains("PRIVATE"));
    assert_eq!(all["Certificates"][1]["Domain"], "Stand-in Test CA");
    assert_eq!(all["Certificates"][1]["CertificateType"], "CA");

    let page = ssl_ok(&stand_in, DESCRIBE, json!({"Offset": 1, "Limit": 1})).await;
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(strings(&page["Certificates"], "CertificateId"), [ca.as_str()]);
    let past_the_end = ssl_ok(&stand_in, DESCRIBE, json!({"Offset": 3})).await;
    assert_eq!(past_the_end["Certificates"], json!([]));

    for (search, expected) in [
        (json!({"SearchKey": "API.example"}), vec![api.as_str()]),
        (json!({"SearchKey": "main"}), vec![www.as_str()]),
        (json!({"SearchKey": www.clone()}), vec![www.as_str()]),
        (json!({"CertificateType": "CA"}), vec![ca.as_str()]),
        (json!({"ProjectId": 7}), vec![www.as_str()]),
        (json!({"CertIds": [api.clone(), "nope0000"]}), vec![api.as_str()]),
        (
            json!({"Tags": [{"TagKey": "team", "TagValue": "edge"}]}),
            vec![www.as_str()],
        ),
        (json!({"FilterSource": "buy"}), Vec::<&str>::new()),
    ] {
        let listed = ssl_ok(&stand_in, DESCRIBE, search.clone()).await;
        assert_eq!(strings(&listed["Certificates"], "CertificateId"), expected, "{search}");
        assert_eq!(listed["TotalCount"], expected.len(), "{search}");
    }

    let deleted = ssl_ok(&stand_in, DELETE, json!({"CertificateId": www})).await;
    assert_eq!(deleted["DeleteResult"], true);
    let ids: Vec<String> = stand_in.certificates().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, [ca.as_str(), api.as_str()]);
    let (code, message) = ssl_refused(&stand_in, DELETE, json!({"CertificateId": www})).await;
    assert_eq!(code, "FailedOperation.CertificateNotFound");
    assert!(message.contains(&www), "{message}");
    assert_eq!(ssl_refused(&stand_in, DELETE, json!({})).await.0, "MissingParameter");
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn limit_has_a_maximum_of_1000_and_defaults_to_10() {
    let stand_in = stand_in().await;
    for index in 0..12 {
        stand_in.upload_certificate(CA, None, &format!("ca-{index}"));
    }
    let default = ssl_ok(&stand_in, DESCRIBE, json!({})).await;
    assert_eq!(
        (
            default["TotalCount"].as_u64(),
            default["Certificates"].as_array().map(Vec::len)
        ),
        (Some(12), Some(10))
    );
    let most = ssl_ok(&stand_in, DESCRIBE, json!({"Limit": 1000})).await;
    assert_eq!(most["Certificates"].as_array().map(Vec::len), Some(12));
    let (code, message) = ssl_refused(&stand_in, DESCRIBE, json!({"Limit": 1001})).await;
    assert_eq!(code, "InvalidParameterValue");
    assert!(message.contains("Limit") && message.contains("1000"), "{message}");
    assert_eq!(
        ssl_refused(&stand_in, DESCRIBE, json!({"Offset": -1})).await.0,
        "InvalidParameterValue"
    );
    assert_eq!(
        ssl_refused(&stand_in, DESCRIBE, json!({"Limit": "20"})).await.0,
        "InvalidParameter"
    );
    assert_eq!(
        ssl_refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await.0,
        "UnknownParameter"
    );
}

#[tokio::test]
async fn each_version_needs_its_own_signing_scope() {
    let stand_in = stand_in().await;
    let http = client();
    let code = |answer: Value| error_code(&answer).map(str::to_owned);

    // An SSL call signed for `teo`, and a TEO call signed for `ssl`.
    let mut ssl_as_teo = Call::ssl(&stand_in, DESCRIBE, "{}");
    ssl_as_teo.scope_service = "teo".to_owned();
    let answer = ssl_as_teo.answer(&http, &stand_in).await;
    assert_eq!(
        code(answer.clone()).as_deref(),
        Some("AuthFailure.InvalidAuthorization"),
        "{answer}"
    );
    assert!(answer.to_string().contains("`ssl`"), "{answer}");
    let mut teo_as_ssl = Call::new(&stand_in, "DescribeZones", "{}");
    teo_as_ssl.scope_service = "ssl".to_owned();
    let answer = teo_as_ssl.answer(&http, &stand_in).await;
    assert_eq!(code(answer).as_deref(), Some("AuthFailure.InvalidAuthorization"));

    // Each service serves only its own actions.
    let answer = Call::ssl(&stand_in, "DescribeZones", "{}")
        .answer(&http, &stand_in)
        .await;
    assert_eq!(code(answer).as_deref(), Some("InvalidAction"));
    let answer = Call::new(&stand_in, DESCRIBE, "{}").answer(&http, &stand_in).await;
    assert_eq!(code(answer).as_deref(), Some("InvalidAction"));

    // A version neither service has.
    let mut old = Call::ssl(&stand_in, DESCRIBE, "{}");
    old.version = Some("2018-01-01".to_owned());
    let answer = old.answer(&http, &stand_in).await;
    assert_eq!(code(answer).as_deref(), Some("NoSuchVersion"));

    // A signature made with the wrong key is still checked for SSL calls.
    let mut forged = Call::ssl(&stand_in, DESCRIBE, "{}");
    forged.secret_key = "not-the-key".to_owned();
    let answer = forged.answer(&http, &stand_in).await;
    assert_eq!(code(answer).as_deref(), Some("AuthFailure.SignatureFailure"));

    let answer = Call::ssl(&stand_in, DESCRIBE, "{}").answer(&http, &stand_in).await;
    assert_eq!(code(answer).as_deref(), None);
}

#[tokio::test]
async fn server_certificates_need_a_private_key_and_both_must_be_pem() {
    let stand_in = stand_in().await;
    let (code, message) = ssl_refused(&stand_in, UPLOAD, json!({"CertificatePublicKey": WWW})).await;
    assert_eq!(code, "MissingParameter");
    assert!(message.contains("CertificatePrivateKey"), "{message}");
    let explicit = json!({"CertificatePublicKey": WWW, "CertificateType": "SVR", "CertificatePrivateKey": ""});
    assert_eq!(ssl_refused(&stand_in, UPLOAD, explicit).await.0, "MissingParameter");

    let not_a_key = json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": CA});
    assert_eq!(
        ssl_refused(&stand_in, UPLOAD, not_a_key).await.0,
        "FailedOperation.CertificateInvalid"
    );
    let not_a_certificate = json!({"CertificatePublicKey": WWW_KEY, "CertificatePrivateKey": WWW_KEY});
    assert_eq!(
        ssl_refused(&stand_in, UPLOAD, not_a_certificate).await.0,
        "FailedOperation.CertificateInvalid"
    );
    let garbage = json!({"CertificatePublicKey": "hello", "CertificateType": "CA"});
    assert_eq!(
        ssl_refused(&stand_in, UPLOAD, garbage).await.0,
        "FailedOperation.CertificateInvalid"
    );
    let bad_type = json!({"CertificatePublicKey": CA, "CertificateType": "ROOT"});
    assert_eq!(
        ssl_refused(&stand_in, UPLOAD, bad_type).await.0,
        "InvalidParameterValue"
    );
    let unknown = json!({"CertificatePublicKey": CA, "CertificateType": "CA", "Color": "blue"});
    assert_eq!(ssl_refused(&stand_in, UPLOAD, unknown).await.0, "UnknownParameter");
    assert_eq!(ssl_refused(&stand_in, UPLOAD, json!({})).await.0, "MissingParameter");
    assert!(stand_in.certificates().is_empty());

    // A CA certificate needs no key; a chain is fine; KeyPassword is accepted.
    upload(&stand_in, json!({"CertificatePublicKey": CA, "CertificateType": "ca"})).await;
    let chain = format!("{WWW}{CA}");
    upload(
        &stand_in,
        json!({"CertificatePublicKey": chain, "CertificatePrivateKey": WWW_KEY, "KeyPassword": "pw"}),
    )
    .await;
    let stored = stand_in.certificates();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (stored[0].certificate_type.as_str(), stored[0].has_private_key),
        ("CA", false)
    );
    assert_eq!(stored[1].domain, "www.example.com");
    assert!(stored[1].has_private_key && stored[1].has_key_password);
}

#[tokio::test]
async fn a_repeat_upload_without_repeatable_answers_the_first_id() {
    let stand_in = stand_in().await;
    let body = json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY, "Repeatable": false});
    let first = ssl_ok(&stand_in, UPLOAD, body.clone()).await;
    assert_eq!(first["RepeatCertId"], Value::Null);
    let id = first["CertificateId"].as_str().expect("an id").to_owned();

    let again = ssl_ok(&stand_in, UPLOAD, body).await;
    assert_eq!(again["RepeatCertId"], id.as_str());
    assert_eq!(again["CertificateId"], id.as_str());
    assert_eq!(stand_in.certificates().len(), 1);

    // Repeatable (the default) stores a second copy under a new id.
    let copy = ssl_ok(
        &stand_in,
        UPLOAD,
        json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY}),
    )
    .await;
    assert_ne!(copy["CertificateId"], id.as_str());
    assert_eq!(copy["RepeatCertId"], Value::Null);
    // Another certificate is not a repeat.
    let other = json!({"CertificatePublicKey": API, "CertificatePrivateKey": API_KEY, "Repeatable": false});
    assert_eq!(ssl_ok(&stand_in, UPLOAD, other).await["RepeatCertId"], Value::Null);
    assert_eq!(stand_in.certificates().len(), 3);
}

#[tokio::test]
async fn teo_binds_only_uploaded_certificates_when_asked_to() {
    let stand_in = StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .require_uploaded_certificates(true)
        .start()
        .await
        .expect("starts");
    assert!(stand_in.requires_uploaded_certificates());
    ok(
        &stand_in,
        "CreateAccelerationDomain",
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": {"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1"}}),
    )
    .await;
    let server = upload(
        &stand_in,
        json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY}),
    )
    .await;
    let ca = stand_in.upload_certificate(CA, None, "edge ca");
    let bind = |cert: &str| json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ServerCertInfo": [{"CertId": cert}]});

    ok(&stand_in, "ModifyHostsCertificate", bind(&server)).await;
    assert_eq!(stand_in.host_certificates(ZONE, "www.example.com"), [server.as_str()]);

    let (code, message) = refused(&stand_in, "ModifyHostsCertificate", bind("teo-cert-1a2b3c")).await;
    assert_eq!(code, "FailedOperation.CertificateNotFound");
    assert!(message.contains("teo-cert-1a2b3c"), "{message}");
    assert_eq!(
        refused(&stand_in, "ModifyHostsCertificate", bind(&ca)).await.0,
        "InvalidParameter.InvalidCertInfo"
    );
    let client_ca = |cert: &str| json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ClientCertInfo": {"Switch": "on", "CertInfos": [{"CertId": cert}]}});
    ok(&stand_in, "ModifyHostsCertificate", client_ca(&ca)).await;
    assert_eq!(
        refused(&stand_in, "ModifyHostsCertificate", client_ca(&server)).await.0,
        "InvalidParameterValue.CertificateVerifyClientMustCa"
    );
    // A refused binding changes nothing.
    assert_eq!(stand_in.host_certificates(ZONE, "www.example.com"), [server.as_str()]);

    // Deleted certificates no longer bind; switched off, any id does again.
    ssl_ok(&stand_in, DELETE, json!({"CertificateId": server})).await;
    assert_eq!(
        refused(&stand_in, "ModifyHostsCertificate", bind(&server)).await.0,
        "FailedOperation.CertificateNotFound"
    );
    stand_in.require_uploaded_certificates(false);
    ok(&stand_in, "ModifyHostsCertificate", bind("teo-cert-1a2b3c")).await;
    assert_eq!(stand_in.host_certificates(ZONE, "www.example.com"), ["teo-cert-1a2b3c"]);
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn by_default_any_certificate_id_binds() {
    let stand_in = stand_in().await;
    assert!(!stand_in.requires_uploaded_certificates());
    stand_in.upload_certificate(WWW, Some(WWW_KEY), "seeded");
    ok(
        &stand_in,
        "CreateAccelerationDomain",
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": {"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1"}}),
    )
    .await;
    let bind = json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ServerCertInfo": [{"CertId": "made-up"}]});
    ok(&stand_in, "ModifyHostsCertificate", bind).await;
}

#[tokio::test]
async fn private_keys_and_passwords_stay_out_of_answers_records_debug_and_logs() {
    let (capture, _guard) = teo_stand_in::log_capture::install();
    let stand_in = stand_in().await;
    let password = "correct-horse-battery-staple";
    let id = upload(
        &stand_in,
        json!({"CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY, "KeyPassword": password}),
    )
    .await;
    // A refused upload must not quote the key it refused either.
    let broken_key = WWW_KEY.replace("MIGHAgEA", "MIGH!!EA");
    let (_, message) = ssl_refused(
        &stand_in,
        UPLOAD,
        json!({"CertificatePublicKey": API, "CertificatePrivateKey": broken_key, "KeyPassword": password}),
    )
    .await;
    let listed = ssl_ok(&stand_in, DESCRIBE, json!({})).await;
    assert_eq!(listed["Certificates"][0]["KeyPasswordCustomFlag"], true);

    let secrets = [key_body(WWW_KEY), key_body(&broken_key), password];
    let texts = [
        message,
        listed.to_string(),
        format!("{:?}", stand_in.certificates()),
        format!("{:?}", stand_in.certificate(&id)),
        format!("{stand_in:?}"),
        format!("{:?}", stand_in.requests()),
        capture.lines().join("\n"),
    ];
    for text in &texts {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
    }
    // The recorded body still holds what the client sent, for tests that check a client.
    let sent = stand_in.requests()[0].body_json().expect("a JSON body");
    assert_eq!(sent["KeyPassword"], password);
}
