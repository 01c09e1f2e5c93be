//! Certificate deployment across two services: upload a certificate to SSL Certificates
//! (`ssl-client`'s `UploadCertificate`), then bind it to EdgeOne hosts (`generated-client`'s
//! `ModifyHostsCertificate`), and read the binding back from `DescribeAccelerationDomains`.
//!
//! ```text
//! cargo run --example deploy_certificate -p tests
//! ```
//!
//! Without `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` it runs against the local
//! stand-in, which serves both services on one endpoint and, here, refuses certificate ids it was
//! not given. With them set it uploads `TEO_CERT_PEM` / `TEO_KEY_PEM` (file paths) and binds the
//! certificate to `TEO_HOSTS` (comma-separated) of zone `TEO_ZONE_ID` on the real services.

mod common;

use common::{have_credentials, required_var, stand_in_client, Failure};
use generated_client::credentials::{ENV_SECRET_ID, ENV_SECRET_KEY};
use generated_client::models::{OriginInfo, ServerCertInfo};
use generated_client::Client;
use teo_stand_in::StandIn;

/// A throwaway self-signed certificate for www.example.com and its key, from the stand-in's test
/// fixtures: they protect nothing.
const DEMO_CERT: &str = include_str!("../../stand-in/tests/fixtures/www.pem");
const DEMO_KEY: &str = include_str!("../../stand-in/tests/fixtures/www.key");

#[tokio::main]
async fn main() -> Result<(), Failure> {
    if have_credentials() {
        let zone = required_var("TEO_ZONE_ID", "the zone whose hosts get the certificate")?;
        let hosts = required_var("TEO_HOSTS", "the hosts to bind, comma-separated")?;
        let cert = std::fs::read_to_string(required_var("TEO_CERT_PEM", "the certificate's PEM file")?)?;
        let key = std::fs::read_to_string(required_var("TEO_KEY_PEM", "the private key's PEM file")?)?;
        let hosts: Vec<String> = hosts
            .split(',')
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .collect();
        let ssl = ssl_client::Client::from_env()?;
        let teo = Client::from_env()?;
        return deploy(&ssl, &teo, &zone, hosts, &cert, &key).await;
    }
    let stand_in = StandIn::start().await?;
    stand_in.require_uploaded_certificates(true);
    let zone = stand_in.add_zone("example.com");
    let teo = stand_in_client(&stand_in)?;
    // The hosts must be acceleration domains of the zone.
    for host in ["www.example.com", "example.com"] {
        teo.create_acceleration_domain()
            .zone_id(&zone)
            .domain_name(host)
            .origin_info(
                OriginInfo::builder()
                    .origin_type("IP_DOMAIN")
                    .origin("origin.example.net")
                    .build()?,
            )
            .send()
            .await?;
    }
    let ssl = ssl_client::Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(ssl_client::Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .build()?;
    let hosts = vec!["www.example.com".to_owned(), "example.com".to_owned()];
    deploy(&ssl, &teo, &zone, hosts, DEMO_CERT, DEMO_KEY).await?;
    println!("\n({ENV_SECRET_ID} / {ENV_SECRET_KEY} were not set: everything ran against the stand-in.)");
    Ok(())
}

async fn deploy(
    ssl: &ssl_client::Client,
    teo: &Client,
    zone: &str,
    hosts: Vec<String>,
    cert: &str,
    key: &str,
) -> Result<(), Failure> {
    println!("\n1. Uploading the certificate to SSL Certificates...");
    let uploaded = ssl
        .upload_certificate()
        .certificate_public_key(cert)
        .certificate_private_key(key)
        .certificate_type("SVR")
        .alias("deployed-by-example")
        .send()
        .await?;
    let cert_id = uploaded
        .certificate_id
        .ok_or_else(|| Failure("the answer has no CertificateId".to_owned()))?;
    // The request's Debug shows `** redacted **` for the private key; the id is not a secret.
    println!("   Certificate {cert_id}.");

    println!("\n2. Binding it to {} host(s) of {zone}...", hosts.len());
    teo.modify_hosts_certificate()
        .zone_id(zone)
        .hosts(hosts)
        .mode("sslcert")
        .server_cert_info(vec![ServerCertInfo::builder().cert_id(&cert_id).build()?])
        .send()
        .await?;

    println!("\n3. What the zone's domains now serve:");
    let domains = teo
        .describe_acceleration_domains()
        .zone_id(zone)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    for domain in domains {
        let ids: Vec<&str> = domain
            .certificate
            .as_ref()
            .map(|c| c.list().iter().filter_map(|i| i.cert_id.as_deref()).collect())
            .unwrap_or_default();
        println!(
            "   {}: {}",
            domain.domain_name.as_deref().unwrap_or("?"),
            ids.join(", ")
        );
    }
    Ok(())
}
