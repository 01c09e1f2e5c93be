//! The second service, end to end: the SSL Certificates client generated whole from
//! `spec/ssl-2019-12-05.json` (`ssl-client`) against the stand-in, and a certificate it uploads
//! bound to EdgeOne hosts with the TEO client.

mod common;

use generated_client::models::{OriginInfo, ServerCertInfo};
use teo_stand_in::StandIn;

const CERT: &str = include_str!("../../stand-in/tests/fixtures/www.pem");
const KEY: &str = include_str!("../../stand-in/tests/fixtures/www.key");

fn ssl(stand_in: &StandIn) -> ssl_client::Client {
    ssl_client::Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(ssl_client::Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .build()
        .expect("the client builds")
}

#[tokio::test]
async fn certificates_upload_list_through_the_paginator_and_delete() {
    let stand_in = common::stand_in().await;
    let ssl = ssl(&stand_in);
    let mut ids = Vec::new();
    for i in 0..3 {
        let out = ssl
            .upload_certificate()
            .certificate_public_key(CERT)
            .certificate_private_key(KEY)
            .alias(format!("copy-{i}"))
            .repeatable(true)
            .send()
            .await
            .unwrap();
        ids.push(out.certificate_id.unwrap());
    }
    let listed = ssl
        .describe_certificates()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let listed_ids: Vec<String> = listed.iter().filter_map(|c| c.certificate_id.clone()).collect();
    assert_eq!(listed_ids, ids);
    assert!(listed.iter().all(|c| c.domain.as_deref() == Some("www.example.com")));
    let pages = stand_in
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some("DescribeCertificates"))
        .count();
    assert_eq!(pages, 2, "three certificates in pages of two");

    let deleted = ssl.delete_certificate().certificate_id(&ids[0]).send().await.unwrap();
    assert_eq!(deleted.delete_result, Some(true));
    assert_eq!(stand_in.certificates().len(), 2);
    for request in stand_in.requests() {
        assert!(request.verification.passed(), "{:?}", request.verification);
    }
}

#[tokio::test]
async fn the_private_key_is_redacted_and_required_for_a_server_certificate() {
    let stand_in = common::stand_in().await;
    let request = ssl(&stand_in)
        .upload_certificate()
        .certificate_public_key(CERT)
        .certificate_private_key(KEY)
        .key_password("example-key-password");
    // The fluent builder (which is the request builder) and the request it builds.
    let built = request.clone().build().unwrap();
    for shown in [format!("{request:?}"), format!("{built:?}")] {
        assert!(
            shown.contains("certificate_private_key: Some(** redacted **)"),
            "{shown}"
        );
        assert!(shown.contains("key_password: Some(** redacted **)"), "{shown}");
        assert!(
            !shown.contains("PRIVATE KEY") && !shown.contains("example-key-password"),
            "{shown}"
        );
    }

    let error = ssl(&stand_in)
        .upload_certificate()
        .certificate_public_key(CERT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("MissingParameter"));
}

#[tokio::test]
async fn an_uploaded_certificate_is_bound_to_edgeone_hosts() {
    let stand_in = common::stand_in().await;
    stand_in.require_uploaded_certificates(true);
    let zone = stand_in.add_zone("example.com");
    let teo = common::client(&stand_in);
    teo.create_acceleration_domain()
        .zone_id(&zone)
        .domain_name("www.example.com")
        .origin_info(
            OriginInfo::builder()
                .origin_type("IP_DOMAIN")
                .origin("origin.example.net")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let bind = |cert: &str| {
        teo.modify_hosts_certificate()
            .zone_id(&zone)
            .hosts(vec!["www.example.com".to_owned()])
            .mode("sslcert")
            .server_cert_info(vec![ServerCertInfo::builder().cert_id(cert).build().unwrap()])
            .send()
    };
    let refused = bind("never-uploaded").await.unwrap_err();
    assert_eq!(refused.code(), Some("FailedOperation.CertificateNotFound"));

    let cert = ssl(&stand_in)
        .upload_certificate()
        .certificate_public_key(CERT)
        .certificate_private_key(KEY)
        .send()
        .await
        .unwrap()
        .certificate_id
        .unwrap();
    bind(&cert).await.unwrap();
    assert_eq!(stand_in.host_certificates(&zone, "www.example.com"), [cert]);
}
