// The resources a stand-in keeps per zone, as tests read them back through the handle: zones,
// DNS records, purge and prefetch tasks with their quotas, acceleration domains with their
// certificate bindings, and origin groups. Times are unix seconds on the server clock.

use std::fmt;

/// Printed in place of a secret in `Debug` output.
const REDACTED: &str = "<redacted>";

/// A site (zone) known to the stand-in, as `DescribeZones` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Zone {
    /// `zone-` followed by lowercase letters and digits, e.g. `zone-2noz3g48ev6k`.
    pub id: String,
    /// The site name, e.g. `example.com`.
    pub name: String,
    /// Access type (`Zone.Type`): `full` (NS, the default), `partial` (CNAME), `noDomainAccess`,
    /// `dnsPodAccess`, `pages` or `ai`.
    pub zone_type: String,
    /// Site status (`Zone.Status`): `active` (the default), `pending`, `moved`, `deactivated` or
    /// `initializing`.
    pub status: String,
    /// When the zone was added.
    pub created_on: i64,
    /// When the zone was last changed.
    pub modified_on: i64,
}

/// A zone id the handle was given that names no zone of the stand-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownZone(pub String);

impl fmt::Display for UnknownZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the stand-in has no zone `{}`", self.0)
    }
}

impl std::error::Error for UnknownZone {}

/// One DNS record of a zone (`DnsRecord`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DnsRecord {
    /// The zone the record belongs to.
    pub zone_id: String,
    /// `record-` followed by 12 lowercase letters or digits.
    pub record_id: String,
    /// The full record name, e.g. `www.example.com`.
    pub name: String,
    /// Record type in upper case: `A`, `AAAA`, `MX`, `CNAME`, `TXT`, `NS`, `CAA` or `SRV`.
    pub record_type: String,
    /// The record content, e.g. `1.2.3.4`.
    pub content: String,
    /// Resolution route; `Default` unless one was given.
    pub location: String,
    /// Cache time in seconds, 60 to 86400 (default 300).
    pub ttl: i64,
    /// Weight, -1 (none, the default) to 100.
    pub weight: i64,
    /// MX priority, 0 to 50 (default 0).
    pub priority: i64,
    /// `enable` or `disable`.
    pub status: String,
    /// Creation time.
    pub created_on: i64,
    /// Last modification time.
    pub modified_on: i64,
}

/// Whether a task purges cached content or pre-warms it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskKind {
    /// Created by `CreatePurgeTask`, listed by `DescribePurgeTasks`.
    Purge,
    /// Created by `CreatePrefetchTask`, listed by `DescribePrefetchTasks`.
    Prefetch,
}

/// A task's `Status`, as the service spells it on the wire.
///
/// Used both to read tasks back and, through
/// [`StandIn::end_next_tasks`](crate::StandIn::end_next_tasks) and
/// [`StandIn::end_tasks_matching`](crate::StandIn::end_tasks_matching), to choose how tasks end.
/// Choosing [`TaskStatus::Processing`] as the end makes tasks that never finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskStatus {
    /// `processing`: still running.
    Processing,
    /// `success`.
    Success,
    /// `failed`, with a `FailType` and `FailMessage`.
    Failed,
    /// `timeout`.
    Timeout,
    /// `canceled`.
    Canceled,
    /// `paused`: a status the spec does not list, as a service that adds a state later would
    /// send; for tests of how a client treats a value it does not know.
    Unlisted,
}

impl TaskStatus {
    /// The wire spelling: `processing`, `success`, `failed`, `timeout`, `canceled` or (for
    /// [`TaskStatus::Unlisted`]) `paused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Success => "success",
            Self::Failed => "failed",
            Self::Timeout => "timeout",
            Self::Canceled => "canceled",
            Self::Unlisted => "paused",
        }
    }

    /// The status a wire spelling names, if any.
    pub fn from_wire(text: &str) -> Option<Self> {
        [
            Self::Processing,
            Self::Success,
            Self::Failed,
            Self::Timeout,
            Self::Canceled,
            Self::Unlisted,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// One purge or prefetch task: one target of a `Create*Task` request (`Task`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Task {
    /// The zone the task was created in.
    pub zone_id: String,
    /// Purge or prefetch.
    pub kind: TaskKind,
    /// The job id shared by every task of one request.
    pub job_id: String,
    /// The resource: a URL, a prefix, a host name, a cache tag, or the zone name for `purge_all`.
    pub target: String,
    /// `Task.Type`: `purge_url`, `purge_prefix`, `purge_host`, `purge_all`, `purge_cache_tag`, or
    /// `prefetch_url` for prefetch tasks.
    pub task_type: String,
    /// The purge method (`invalidate` or `delete`) for prefix, host and whole-zone purges.
    pub method: Option<String>,
    /// The current status: what the next `Describe*Tasks` answer that includes the task shows.
    pub status: TaskStatus,
    /// The domains the task concerns, what the `domains` filter matches.
    pub domains: Vec<String>,
    /// Creation time.
    pub create_time: i64,
    /// Last status change.
    pub update_time: i64,
}

/// A content-management quota of a zone (`Quota`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Quota {
    /// `purge_url`, `purge_prefix`, `purge_host`, `purge_all`, `purge_cache_tag` or `prefetch_url`.
    pub quota_type: String,
    /// Most targets one request may submit.
    pub batch: i64,
    /// Tasks allowed per day (UTC day of the server clock).
    pub daily: i64,
    /// Tasks still allowed today.
    pub daily_available: i64,
}

/// A name/value pair of an origin's private authentication (`PrivateParameter`).
///
/// `Debug` prints the name only: the values are access keys and secret keys.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrivateParameter {
    /// `AccessKeyId`, `SecretAccessKey`, `SignatureVersion` or `Region`.
    pub name: String,
    /// The value, as sent.
    pub value: String,
}

impl PrivateParameter {
    /// A parameter with this name and value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl fmt::Debug for PrivateParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateParameter")
            .field("name", &self.name)
            .field("value", &REDACTED)
            .finish()
    }
}

/// Where an acceleration domain pulls from (`OriginInfo` in requests, `OriginDetail` in answers).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Origin {
    /// `IP_DOMAIN`, `COS`, `AWS_S3`, `ORIGIN_GROUP`, `VOD`, `SPACE` or `LB` (stored in upper case).
    pub origin_type: String,
    /// The address, bucket domain, or (for `ORIGIN_GROUP`) the origin group id.
    pub origin: String,
    /// The secondary origin group id, for `ORIGIN_GROUP` origins.
    pub backup_origin: Option<String>,
    /// `on` or `off`, for object-storage origins.
    pub private_access: Option<String>,
    /// Private authentication parameters (secret; never in `Debug`).
    pub private_parameters: Vec<PrivateParameter>,
    /// Custom origin Host header, for `IP_DOMAIN` origins.
    pub host_header: Option<String>,
    /// `VodeoSubAppId`.
    pub vodeo_sub_app_id: Option<i64>,
    /// `VodeoDistributionRange`.
    pub vodeo_distribution_range: Option<String>,
    /// `VodeoBucketId`.
    pub vodeo_bucket_id: Option<String>,
    /// `VodOriginScope`.
    pub vod_origin_scope: Option<String>,
    /// `VodBucketId`.
    pub vod_bucket_id: Option<String>,
}

/// A mutual-TLS setting (`MutualTLS`): a switch and the certificate ids it uses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MutualTls {
    /// `on` or `off`.
    pub switch: String,
    /// Certificate ids, in the order sent.
    pub cert_ids: Vec<String>,
}

/// What `ModifyHostsCertificate` bound to one host (`AccelerationDomainCertificate`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HostCertificate {
    /// `disable`, `eofreecert`, `eofreecert_manual` or `sslcert`.
    pub mode: String,
    /// Server certificate ids (for `sslcert`), in the order sent.
    pub server_cert_ids: Vec<String>,
    /// `none` or `apply`.
    pub apply_type: String,
    /// Edge mutual TLS (the client CA), when configured.
    pub client_cert: Option<MutualTls>,
    /// Origin-pull mutual TLS, when configured.
    pub upstream_mutual_tls: Option<MutualTls>,
    /// Origin certificate verification mode (`disable` or `custom_ca`), when configured.
    pub upstream_verification_mode: Option<String>,
    /// Trusted CA certificate ids for `custom_ca`.
    pub upstream_ca_cert_ids: Vec<String>,
    /// When the binding was last changed.
    pub deploy_time: i64,
}

/// An acceleration domain of a zone (`AccelerationDomain`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccelerationDomain {
    /// The zone the domain belongs to.
    pub zone_id: String,
    /// The domain name, as created.
    pub domain_name: String,
    /// `online` (after creation) or `offline`.
    pub status: String,
    /// The CNAME the domain should point to.
    pub cname: String,
    /// Where it pulls from.
    pub origin: Origin,
    /// `FOLLOW`, `HTTP` or `HTTPS`.
    pub origin_protocol: String,
    /// HTTP origin port.
    pub http_origin_port: u64,
    /// HTTPS origin port.
    pub https_origin_port: u64,
    /// `follow`, `on` or `off`.
    pub ipv6_status: String,
    /// The shared CNAME the domain was bound to, if any.
    pub shared_cname: Option<String>,
    /// `finished`, or `pending` while ownership is unverified (CNAME zones that are not active).
    pub identification_status: String,
    /// The certificate binding, once `ModifyHostsCertificate` set one.
    pub certificate: Option<HostCertificate>,
    /// Creation time.
    pub created_on: i64,
    /// Last modification time.
    pub modified_on: i64,
}

/// One origin of an origin group (`OriginRecord`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OriginRecord {
    /// `record-` followed by a UUID.
    pub record_id: String,
    /// The address or bucket domain.
    pub record: String,
    /// `IP_DOMAIN`, `COS` or `AWS_S3`.
    pub record_type: String,
    /// Weight 0 to 100, if set.
    pub weight: Option<u64>,
    /// Private authentication on or off.
    pub private: bool,
    /// Private authentication parameters (secret; never in `Debug`).
    pub private_parameters: Vec<PrivateParameter>,
}

/// An origin group of a zone (`OriginGroup`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OriginGroup {
    /// The zone the group belongs to.
    pub zone_id: String,
    /// `origin-` followed by a UUID.
    pub group_id: String,
    /// The group name, unique in the zone.
    pub name: String,
    /// `GENERAL` or `HTTP`.
    pub group_type: String,
    /// The origins.
    pub records: Vec<OriginRecord>,
    /// Origin-pull Host header (HTTP groups).
    pub host_header: Option<String>,
    /// Creation time.
    pub create_time: i64,
    /// Last update time.
    pub update_time: i64,
}

/// A certificate in the stand-in's SSL Certificates store, as `DescribeCertificates` lists it.
///
/// Holds nothing secret: the private key and key password of an upload are kept apart and are
/// never handed out, so `Debug` cannot show them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Certificate {
    /// 8 characters from letters and digits, e.g. `Kx3v9QaB`.
    pub id: String,
    /// The `Alias` (remark name) given at upload; empty when none was.
    pub alias: String,
    /// `SVR` (server certificate) or `CA` (CA certificate).
    pub certificate_type: String,
    /// The primary domain: the subject common name, else the first DNS subject alternative
    /// name, else the alias.
    pub domain: String,
    /// The DNS subject alternative names of the first certificate (the common name alone when
    /// it has none).
    pub subject_alt_names: Vec<String>,
    /// `notBefore` of the first certificate, `YYYY-MM-DD HH:MM:SS` UTC, when readable.
    pub not_before: Option<String>,
    /// `notAfter` of the first certificate, `YYYY-MM-DD HH:MM:SS` UTC, when readable.
    pub not_after: Option<String>,
    /// The `ProjectId` given at upload (0 when none was).
    pub project_id: u64,
    /// The `CertificateUse` given at upload, e.g. `CDN`.
    pub certificate_use: Option<String>,
    /// `(TagKey, TagValue)` pairs given at upload.
    pub tags: Vec<(String, String)>,
    /// The uploaded `CertificatePublicKey` (the PEM certificate chain), as sent.
    pub certificate_pem: String,
    /// Whether a private key was uploaded with it.
    pub has_private_key: bool,
    /// Whether a `KeyPassword` was uploaded with it.
    pub has_key_password: bool,
    /// Upload time, unix seconds on the server clock.
    pub inserted_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_values_stay_out_of_debug() {
        let parameter = PrivateParameter::new("SecretAccessKey", "very-secret-value");
        let debug = format!("{parameter:?}");
        assert!(
            debug.contains("SecretAccessKey") && !debug.contains("very-secret-value"),
            "{debug}"
        );
    }

    #[test]
    fn task_statuses_round_trip_their_wire_names() {
        for status in [
            TaskStatus::Processing,
            TaskStatus::Success,
            TaskStatus::Failed,
            TaskStatus::Timeout,
            TaskStatus::Canceled,
        ] {
            assert_eq!(TaskStatus::from_wire(status.as_str()), Some(status));
        }
        assert_eq!(TaskStatus::from_wire("Success"), None);
    }
}
