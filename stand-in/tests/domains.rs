//! Acceleration domains and their certificates over the wire: create, list (paging, filters),
//! modify, take offline, delete (an online domain only with Force), ownership verification in a
//! CNAME zone, and ModifyHostsCertificate bindings showing up in the domain listing.

mod common;

use common::{assert_all_verified, ok, refused, strings, ZONE};
use serde_json::{json, Value};
use teo_stand_in::StandIn;

const CREATE: &str = "CreateAccelerationDomain";
const DESCRIBE: &str = "DescribeAccelerationDomains";
const MODIFY: &str = "ModifyAccelerationDomain";
const STATUSES: &str = "ModifyAccelerationDomainStatuses";
const DELETE: &str = "DeleteAccelerationDomains";
const CERTIFICATE: &str = "ModifyHostsCertificate";

async fn stand_in() -> StandIn {
    StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts")
}

fn ip_origin(origin: &str) -> Value {
    json!({"OriginType": "IP_DOMAIN", "Origin": origin})
}

async fn create(stand_in: &StandIn, name: &str, origin: Value) -> Value {
    ok(
        stand_in,
        CREATE,
        json!({"ZoneId": ZONE, "DomainName": name, "OriginInfo": origin}),
    )
    .await
}

async fn names(stand_in: &StandIn, body: Value) -> (u64, Vec<String>) {
    let answer = ok(stand_in, DESCRIBE, body).await;
    (
        answer["TotalCount"].as_u64().expect("a count"),
        strings(&answer["AccelerationDomains"], "DomainName"),
    )
}

#[tokio::test]
async fn acceleration_domains_walk_through() {
    let stand_in = stand_in().await;
    let created = create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    assert_eq!(
        created["OwnershipVerification"],
        Value::Null,
        "an active NS zone needs no verification"
    );
    let s3 = json!({
        "OriginType": "aws_s3",
        "Origin": "bucket.s3.ap-east-1.amazonaws.com",
        "PrivateAccess": "on",
        "PrivateParameters": [{"Name": "AccessKeyId", "Value": "AKIAEXAMPLE"}, {"Name": "SecretAccessKey", "Value": "s3-secret-value"}],
    });
    ok(
        &stand_in,
        CREATE,
        json!({"ZoneId": ZONE, "DomainName": "static.example.com", "OriginInfo": s3, "OriginProtocol": "HTTPS", "HttpsOriginPort": 8443, "IPv6Status": "on"}),
    )
    .await;
    create(&stand_in, "example.com", ip_origin("origin.example.net")).await;

    let answer = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    assert_eq!(answer["TotalCount"], 3);
    assert_eq!(
        strings(&answer["AccelerationDomains"], "DomainName"),
        ["www.example.com", "static.example.com", "example.com"]
    );
    let www = &answer["AccelerationDomains"][0];
    assert_eq!(
        (www["DomainStatus"].as_str(), www["IdentificationStatus"].as_str()),
        (Some("online"), Some("finished"))
    );
    assert_eq!(
        (
            www["OriginProtocol"].as_str(),
            www["HttpOriginPort"].as_u64(),
            www["HttpsOriginPort"].as_u64()
        ),
        (Some("FOLLOW"), Some(80), Some(443))
    );
    assert_eq!(www["Cname"], "www.example.com.eo.dnse3.com");
    assert_eq!(www["OriginDetail"]["Origin"], "1.1.1.1");
    assert_eq!(www["Certificate"]["Mode"], "disable");
    let static_domain = &answer["AccelerationDomains"][1];
    assert_eq!(static_domain["OriginDetail"]["OriginType"], "AWS_S3");
    assert_eq!(static_domain["OriginDetail"]["PrivateAccess"], "on");
    assert_eq!(
        static_domain["OriginDetail"]["PrivateParameters"][1]["Value"],
        "s3-secret-value"
    );
    assert_eq!(
        (
            static_domain["HttpsOriginPort"].as_u64(),
            static_domain["IPv6Status"].as_str()
        ),
        (Some(8443), Some("on"))
    );

    // Paging and filters.
    assert_eq!(
        names(&stand_in, json!({"ZoneId": ZONE, "Offset": 2, "Limit": 5})).await,
        (3, vec!["example.com".to_owned()])
    );
    let filtered =
        |filters: Value| json!({"ZoneId": ZONE, "Filters": filters, "Order": "created_on", "Direction": "desc"});
    for (filters, expected) in [
        (
            json!([{"Name": "domain-name", "Values": ["www.example.com"]}]),
            vec!["www.example.com"],
        ),
        (
            json!([{"Name": "domain-name", "Values": ["static"], "Fuzzy": true}]),
            vec!["static.example.com"],
        ),
        (
            json!([{"Name": "origin-type", "Values": ["IP_DOMAIN"]}]),
            vec!["www.example.com", "example.com"],
        ),
        (
            json!([{"Name": "origin", "Values": ["1.1.1.1"]}]),
            vec!["www.example.com"],
        ),
        (
            json!([{"Name": "domain-cname", "Values": ["static.example.com.eo.dnse3.com"]}]),
            vec!["static.example.com"],
        ),
    ] {
        let expected: Vec<String> = expected.into_iter().map(str::to_owned).collect();
        assert_eq!(
            names(&stand_in, filtered(filters.clone())).await,
            (expected.len() as u64, expected),
            "{filters}"
        );
    }

    // Modify keeps what is not sent.
    ok(&stand_in, MODIFY, json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": ip_origin("2.2.2.2"), "HttpOriginPort": 8080})).await;
    let www = stand_in.acceleration_domain(ZONE, "WWW.example.com").expect("listed");
    assert_eq!(
        (www.origin.origin.as_str(), www.http_origin_port, www.https_origin_port),
        ("2.2.2.2", 8080, 443)
    );
    ok(
        &stand_in,
        MODIFY,
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginProtocol": "http"}),
    )
    .await;
    assert_eq!(
        stand_in
            .acceleration_domain(ZONE, "www.example.com")
            .map(|d| d.origin_protocol),
        Some("HTTP".to_owned())
    );

    // Offline, then the filter on status, then delete.
    ok(
        &stand_in,
        STATUSES,
        json!({"ZoneId": ZONE, "DomainNames": ["www.example.com", "example.com"], "Status": "offline"}),
    )
    .await;
    let offline = filtered(json!([{"Name": "domain-status", "Values": ["offline"]}]));
    assert_eq!(names(&stand_in, offline).await.1, ["www.example.com", "example.com"]);
    ok(
        &stand_in,
        DELETE,
        json!({"ZoneId": ZONE, "DomainNames": ["www.example.com"]}),
    )
    .await;
    assert_eq!(
        names(&stand_in, json!({"ZoneId": ZONE})).await,
        (2, vec!["static.example.com".to_owned(), "example.com".to_owned()])
    );
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn an_online_domain_is_deleted_only_with_force() {
    let stand_in = stand_in().await;
    create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    create(&stand_in, "api.example.com", ip_origin("1.1.1.2")).await;
    ok(
        &stand_in,
        STATUSES,
        json!({"ZoneId": ZONE, "DomainNames": ["api.example.com"], "Status": "offline"}),
    )
    .await;
    let both = json!({"ZoneId": ZONE, "DomainNames": ["api.example.com", "www.example.com"]});
    let (code, message) = refused(&stand_in, DELETE, both.clone()).await;
    assert_eq!(code, "InvalidParameterValue.InvalidDomainStatus");
    assert!(
        message.contains("www.example.com") && message.contains("Force"),
        "{message}"
    );
    assert_eq!(
        stand_in.acceleration_domains(ZONE).len(),
        2,
        "all or nothing: the offline one stays too"
    );
    let forced = json!({"ZoneId": ZONE, "DomainNames": ["api.example.com", "www.example.com"], "Force": true});
    ok(&stand_in, DELETE, forced).await;
    assert!(stand_in.acceleration_domains(ZONE).is_empty());
}

#[tokio::test]
async fn domain_refusals_use_the_documented_codes() {
    let stand_in = StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .zone_with_id("zone-other", "example.org")
        .start()
        .await
        .expect("starts");
    create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    ok(
        &stand_in,
        CREATE,
        json!({"ZoneId": "zone-other", "DomainName": "www.example.org", "OriginInfo": ip_origin("1.1.1.1")}),
    )
    .await;
    let new = |name: &str, origin: Value| json!({"ZoneId": ZONE, "DomainName": name, "OriginInfo": origin});
    for (action, body, expected) in [
        (CREATE, new("www.example.com", ip_origin("1.1.1.1")), "ResourceInUse"),
        (CREATE, new("WWW.example.com", ip_origin("1.1.1.1")), "ResourceInUse"),
        (
            CREATE,
            json!({"ZoneId": "zone-other", "DomainName": "www.example.com", "OriginInfo": ip_origin("1.1.1.1")}),
            "InvalidParameterValue.DomainNotMatchZone",
        ),
        (
            CREATE,
            new("www.example.org", ip_origin("1.1.1.1")),
            "InvalidParameterValue.DomainNotMatchZone",
        ),
        (
            CREATE,
            new("-bad.example.com", ip_origin("1.1.1.1")),
            "InvalidParameterValue.InvalidDomainName",
        ),
        (
            CREATE,
            new("a.example.com", json!({"OriginType": "FTP", "Origin": "x"})),
            "InvalidParameter.InvalidOrigin",
        ),
        (
            CREATE,
            new("a.example.com", json!({"OriginType": "IP_DOMAIN", "Origin": " "})),
            "InvalidParameter.InvalidOrigin",
        ),
        (
            CREATE,
            new(
                "a.example.com",
                json!({"OriginType": "ORIGIN_GROUP", "Origin": "origin-missing"}),
            ),
            "InvalidParameterValue.OriginGroupNotExists",
        ),
        (
            CREATE,
            new(
                "a.example.com",
                json!({"OriginType": "COS", "Origin": "b.cos.com", "PrivateAccess": "maybe"}),
            ),
            "InvalidParameter.InvalidPrivateAccessSwitch",
        ),
        (
            CREATE,
            new(
                "a.example.com",
                json!({"OriginType": "COS", "Origin": "b.cos.com", "PrivateParameters": [{"Name": "Password", "Value": "x"}]}),
            ),
            "InvalidParameter.InvalidPrivateAccessParams",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "DomainName": "a.example.com", "OriginInfo": ip_origin("1.1.1.1"), "IPv6Status": "yes"}),
            "InvalidParameter.InvalidIpv6Switch",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "DomainName": "a.example.com", "OriginInfo": ip_origin("1.1.1.1"), "HttpOriginPort": 0}),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "DomainName": "a.example.com", "OriginInfo": ip_origin("1.1.1.1"), "HttpOriginPort": -80}),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "DomainName": "a.example.com", "OriginInfo": ip_origin("1.1.1.1"), "OriginProtocol": "FTP"}),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "DomainName": "a.example.com"}),
            "MissingParameter",
        ),
        (
            CREATE,
            new("a.example.com", json!({"OriginType": "IP_DOMAIN"})),
            "MissingParameter",
        ),
        (
            CREATE,
            new(
                "a.example.com",
                json!({"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1", "Port": 80}),
            ),
            "UnknownParameter",
        ),
        (
            CREATE,
            json!({"ZoneId": "zone-unknown1", "DomainName": "a.example.com", "OriginInfo": ip_origin("1.1.1.1")}),
            "ResourceNotFound",
        ),
        (DESCRIBE, json!({"ZoneId": "zone-unknown1"}), "ResourceNotFound"),
        (
            DESCRIBE,
            json!({"ZoneId": ZONE, "Filters": [{"Name": "owner", "Values": ["x"]}]}),
            "InvalidFilter",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DomainName": "nope.example.com"}),
            "ResourceUnavailable.DomainNotFound",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DomainName": "www.example.com", "HttpsOriginPort": 70000}),
            "InvalidParameterValue",
        ),
        (
            STATUSES,
            json!({"ZoneId": ZONE, "DomainNames": ["www.example.com"], "Status": "paused"}),
            "InvalidParameterValue",
        ),
        (
            STATUSES,
            json!({"ZoneId": ZONE, "DomainNames": ["www.example.com", "nope.example.com"], "Status": "offline"}),
            "ResourceUnavailable.DomainNotFound",
        ),
        (
            STATUSES,
            json!({"ZoneId": ZONE, "DomainNames": [], "Status": "offline"}),
            "InvalidParameterValue",
        ),
        (
            DELETE,
            json!({"ZoneId": ZONE, "DomainNames": ["nope.example.com"], "Force": true}),
            "ResourceUnavailable.DomainNotFound",
        ),
        (
            DELETE,
            json!({"ZoneId": "zone-unknown1", "DomainNames": ["www.example.com"]}),
            "InvalidParameter.ZoneNotFound",
        ),
    ] {
        assert_eq!(
            refused(&stand_in, action, body.clone()).await.0,
            expected,
            "{action} {body}"
        );
    }
    let www = stand_in
        .acceleration_domain(ZONE, "www.example.com")
        .expect("still there");
    assert_eq!(
        (www.status.as_str(), www.origin.origin.as_str(), www.https_origin_port),
        ("online", "1.1.1.1", 443)
    );
    assert_eq!(stand_in.acceleration_domains(ZONE).len(), 1);
    // Another zone holding the same name.
    stand_in.add_zone_with_id("zone-third", "example.com");
    let (code, _) = refused(
        &stand_in,
        CREATE,
        json!({"ZoneId": "zone-third", "DomainName": "www.example.com", "OriginInfo": ip_origin("1.1.1.1")}),
    )
    .await;
    assert_eq!(code, "ResourceUnavailable.DomainAlreadyExists");
}

#[tokio::test]
async fn describe_acceleration_domains_refuses_a_limit_above_200() {
    let stand_in = stand_in().await;
    let (code, message) = refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 201})).await;
    assert_eq!(code, "InvalidParameterValue");
    assert!(message.contains("Limit") && message.contains("200"), "{message}");
    assert_eq!(
        names(&stand_in, json!({"ZoneId": ZONE, "Limit": 200})).await,
        (0, vec![])
    );
    assert_eq!(
        refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 0}))
            .await
            .0,
        "InvalidParameterValue"
    );
}

#[tokio::test]
async fn a_pending_cname_zone_asks_for_ownership_verification() {
    let stand_in = stand_in().await;
    stand_in.set_zone_type(ZONE, "partial").expect("known zone");
    stand_in.set_zone_status(ZONE, "pending").expect("known zone");
    let created = create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    let verification = &created["OwnershipVerification"];
    assert_eq!(verification["DnsVerification"]["RecordType"], "TXT");
    let token = verification["FileVerification"]["Content"].as_str().expect("a token");
    assert!(verification["FileVerification"]["Path"]
        .as_str()
        .is_some_and(|path| path.contains(token)));
    let listed = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    assert_eq!(listed["AccelerationDomains"][0]["IdentificationStatus"], "pending");
    assert_eq!(listed["AccelerationDomains"][0]["OwnershipVerification"], *verification);
}

#[tokio::test]
async fn certificate_bindings_show_in_the_domain_listing() {
    let stand_in = stand_in().await;
    create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    create(&stand_in, "api.example.com", ip_origin("1.1.1.2")).await;
    let bind = json!({
        "ZoneId": ZONE,
        "Hosts": ["www.example.com", "api.example.com"],
        "Mode": "sslcert",
        "ServerCertInfo": [{"CertId": "J2JqATrsx"}, {"CertId": "Kx91ab"}],
        "ClientCertInfo": {"Switch": "on", "CertInfos": [{"CertId": "ca-edge"}]},
    });
    let answer = ok(&stand_in, CERTIFICATE, bind).await;
    assert_eq!(
        answer.as_object().map(|members| members.len()),
        Some(1),
        "only RequestId"
    );
    assert_eq!(
        stand_in.host_certificates(ZONE, "api.example.com"),
        ["J2JqATrsx", "Kx91ab"]
    );

    let listed = ok(
        &stand_in,
        DESCRIBE,
        json!({"ZoneId": ZONE, "Filters": [{"Name": "domain-name", "Values": ["www.example.com"]}]}),
    )
    .await;
    let certificate = &listed["AccelerationDomains"][0]["Certificate"];
    assert_eq!(certificate["Mode"], "sslcert");
    assert_eq!(strings(&certificate["List"], "CertId"), ["J2JqATrsx", "Kx91ab"]);
    assert_eq!(certificate["List"][0]["Status"], "deployed");
    assert_eq!(certificate["ClientCertInfo"]["Switch"], "on");
    assert_eq!(
        strings(&certificate["ClientCertInfo"]["CertInfos"], "CertId"),
        ["ca-edge"]
    );

    // Origin-pull settings alone keep the server certificates; a new Mode replaces them.
    let upstream = json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "UpstreamCertInfo": {
        "UpstreamMutualTLS": {"Switch": "on", "CertInfos": [{"CertId": "client-1"}]},
        "UpstreamCertificateVerify": {"VerificationMode": "custom_ca", "CustomCACerts": [{"CertId": "ca-origin"}]},
    }});
    ok(&stand_in, CERTIFICATE, upstream).await;
    let binding = stand_in.host_certificate(ZONE, "www.example.com").expect("bound");
    assert_eq!(binding.server_cert_ids, ["J2JqATrsx", "Kx91ab"]);
    assert_eq!(
        binding.upstream_mutual_tls.map(|tls| tls.cert_ids),
        Some(vec!["client-1".to_owned()])
    );
    assert_eq!(
        (
            binding.upstream_verification_mode.as_deref(),
            binding.upstream_ca_cert_ids.as_slice()
        ),
        (Some("custom_ca"), &["ca-origin".to_owned()][..])
    );
    let listed = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 1})).await;
    let upstream = &listed["AccelerationDomains"][0]["Certificate"]["UpstreamCertInfo"];
    assert_eq!(upstream["UpstreamMutualTLS"]["CertInfos"][0]["CertId"], "client-1");
    assert_eq!(upstream["UpstreamCertificateVerify"]["VerificationMode"], "custom_ca");

    ok(
        &stand_in,
        CERTIFICATE,
        json!({"ZoneId": ZONE, "Hosts": ["api.example.com"], "Mode": "eofreecert"}),
    )
    .await;
    assert!(stand_in.host_certificates(ZONE, "api.example.com").is_empty());
    assert_eq!(
        stand_in
            .host_certificate(ZONE, "api.example.com")
            .map(|binding| binding.mode),
        Some("eofreecert".to_owned())
    );
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn certificate_refusals_use_the_documented_codes() {
    let stand_in = stand_in().await;
    create(&stand_in, "www.example.com", ip_origin("1.1.1.1")).await;
    let hosts: Vec<String> = (0..101).map(|n| format!("h{n}.example.com")).collect();
    for (body, expected) in [
        (
            json!({"ZoneId": "zone-unknown1", "Hosts": ["www.example.com"], "Mode": "disable"}),
            "ResourceUnavailable.ZoneNotFound",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com", "nope.example.com"], "Mode": "disable"}),
            "ResourceUnavailable.HostNotFound",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": hosts, "Mode": "disable"}),
            "InvalidParameterValue",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": [], "Mode": "disable"}),
            "InvalidParameterValue",
        ),
        (json!({"ZoneId": ZONE, "Mode": "disable"}), "MissingParameter"),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "Mode": "sslcert"}),
            "InvalidParameter.InvalidCertInfo",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ServerCertInfo": [{"CertId": ""}]}),
            "InvalidParameter.InvalidCertInfo",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ServerCertInfo": [{"Alias": "x"}]}),
            "MissingParameter",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "Mode": "bring-your-own"}),
            "InvalidParameterValue",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ApplyType": "maybe"}),
            "InvalidParameterValue",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ClientCertInfo": {"Switch": "on"}}),
            "InvalidParameterValue.CertificateVerifyClientNeedCert",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "UpstreamCertInfo": {"UpstreamMutualTLS": {"Switch": "on", "CertInfos": []}}}),
            "InvalidParameterValue.CertificateVerifyUpstreamClientNeedCert",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "UpstreamCertInfo": {"UpstreamCertificateVerify": {"VerificationMode": "custom_ca"}}}),
            "InvalidParameterValue.CertificateVerifyUpstreamVerifyCustomCANeedCert",
        ),
        (
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "ClientCertInfo": {"Switch": "on", "Certs": []}}),
            "UnknownParameter",
        ),
    ] {
        assert_eq!(
            refused(&stand_in, CERTIFICATE, body.clone()).await.0,
            expected,
            "{body}"
        );
    }
    assert_eq!(
        stand_in.host_certificate(ZONE, "www.example.com"),
        None,
        "no refusal bound anything"
    );
    // Certificates given without a Mode mean sslcert.
    ok(
        &stand_in,
        CERTIFICATE,
        json!({"ZoneId": ZONE, "Hosts": ["WWW.example.com"], "ServerCertInfo": [{"CertId": "c-1"}]}),
    )
    .await;
    assert_eq!(
        stand_in
            .host_certificate(ZONE, "www.example.com")
            .map(|b| (b.mode, b.server_cert_ids)),
        Some(("sslcert".to_owned(), vec!["c-1".to_owned()]))
    );
}

#[tokio::test]
async fn origin_secrets_stay_out_of_debug() {
    let stand_in = stand_in().await;
    let cos = json!({"OriginType": "COS", "Origin": "b.cos.ap-guangzhou.myqcloud.com", "PrivateAccess": "on",
        "PrivateParameters": [{"Name": "SecretAccessKey", "Value": "cos-secret-value"}]});
    create(&stand_in, "www.example.com", cos).await;
    let domains = stand_in.acceleration_domains(ZONE);
    assert_eq!(
        domains[0].origin.private_parameters[0].value, "cos-secret-value",
        "readable on purpose"
    );
    let debug = format!("{domains:?} {stand_in:?} {:?}", stand_in.requests());
    assert!(!debug.contains("cos-secret-value"), "{debug}");
    assert!(debug.contains("SecretAccessKey"));
}
