// The crate's front door: `StandIn`, a loopback stand-in for Tencent Cloud's TEO (EdgeOne) API 3.0
// service (and, on the same endpoint, SSL Certificates), its builder, and the handle methods tests
// use to inspect requests, zone keys and faults (the methods for zone resources are in handle.rs,
// those for certificates in handle_ssl.rs).

//! A loopback stand-in for Tencent Cloud's TEO (EdgeOne) API 3.0 service, version `2022-09-01`,
//! for end-to-end tests of API clients.
//!
//! It listens on `127.0.0.1` (a free port), answers `POST /` like the real service, and checks
//! every request the way the service does: the common `X-TC-*` headers, the content type, and
//! the TC3-HMAC-SHA256 signature, recomputed independently from the protocol rules. It records
//! every request and can inject failures ([`Fault`]) one request at a time.
//!
//! On the same endpoint it also plays the SSL Certificates service (`ssl`, version `2019-12-05`),
//! whose certificate ids TEO's `ModifyHostsCertificate` binds (see [SSL Certificates](#ssl-certificates)).
//!
//! It serves these actions statefully, with the member names and JSON types of Tencent's
//! description:
//!
//! | family | actions | state |
//! | --- | --- | --- |
//! | gateway keys | `Create`/`Refresh`/`Modify`/`DescribeMultiPathGatewaySecretKey` | one key per zone id |
//! | zones | `DescribeZones` | zones added through the handle ([`StandIn::add_zone`], [`StandInBuilder::zone`]) |
//! | DNS records | `CreateDnsRecord`, `DescribeDnsRecords`, `ModifyDnsRecords`, `ModifyDnsRecordsStatus`, `DeleteDnsRecords` | per zone ([`StandIn::dns_records`]) |
//! | cache | `CreatePurgeTask`, `DescribePurgeTasks`, `CreatePrefetchTask`, `DescribePrefetchTasks`, `DescribeContentQuota` | tasks and daily quotas per zone ([`StandIn::tasks`]) |
//! | certificates | `ModifyHostsCertificate` | a binding per acceleration domain ([`StandIn::host_certificates`]); ids checked against the SSL store when [`StandIn::require_uploaded_certificates`] is on |
//! | domains | `CreateAccelerationDomain`, `DescribeAccelerationDomains`, `ModifyAccelerationDomain`, `ModifyAccelerationDomainStatuses`, `DeleteAccelerationDomains` | per zone ([`StandIn::acceleration_domains`]) |
//! | origin groups | `CreateOriginGroup`, `DescribeOriginGroup`, `ModifyOriginGroup`, `DeleteOriginGroup` | per zone ([`StandIn::origin_groups`]) |
//! | SSL certificates (`ssl`, `2019-12-05`) | `UploadCertificate`, `DescribeCertificates`, `DeleteCertificate` | one store per stand-in ([`StandIn::certificates`], [`StandIn::upload_certificate`]) |
//!
//! Those 25 TEO actions (and the three SSL ones) keep state. **Every other action of our TEO spec**
//! (`spec/teo-2022-09-01.json`, compiled in) is served too, without state: the request body is
//! checked against the spec's definition of the action's input, and the answer is the spec's
//! first example output with a fresh `RequestId` and the request's own ids (see
//! [Actions answered from the spec](#actions-answered-from-the-spec)). Whatever actions the spec
//! holds when the stand-in is built are served.
//!
//! Two more loopback servers play the credential sources of code that runs inside Tencent Cloud
//! (see [Credential servers](#credential-servers)): [`MetadataServer`], the CVM instance
//! metadata service's CAM role endpoints, and [`StsServer`], STS's `AssumeRole` and
//! `AssumeRoleWithWebIdentity`. A stand-in linked to them accepts every temporary key and token
//! they issue.
//!
//! It spawns tasks with `tokio::spawn`, so [`StandIn::start`] and [`StandInBuilder::start`] (and
//! the other servers' `start`) must be awaited inside a Tokio runtime; each server stops when its
//! handle is dropped.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use teo_stand_in::{Fault, StandIn, TaskStatus};
//!
//! let stand_in = StandIn::builder().zone_with_id("zone-27q0p0bal192", "example.com").start().await?;
//! stand_in.set_zone_key("zone-27q0p0bal192", "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=");
//! stand_in.add_dns_records("zone-27q0p0bal192", 500).expect("the zone exists");
//! stand_in.set_task_polls(1);
//! stand_in.end_tasks_matching("/broken/", TaskStatus::Failed);
//! stand_in.push_fault(Fault::html_status(502));
//! // Point a client at `stand_in.endpoint()` with `StandIn::DEFAULT_SECRET_ID` / `DEFAULT_SECRET_KEY`...
//! for request in stand_in.requests() {
//!     assert!(request.verification.passed());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Error codes
//!
//! Every API error is HTTP 200 with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
//! Checks run in this order; the first failure answers:
//!
//! | check | code |
//! | --- | --- |
//! | method other than `POST` | `UnsupportedProtocol` |
//! | path other than `/` | `InvalidParameter` |
//! | body over 10 MiB | `RequestSizeLimitExceeded` |
//! | `X-TC-Action`, `X-TC-Version` or `X-TC-Timestamp` missing | `MissingParameter` |
//! | `X-TC-Version` neither `2022-09-01` (TEO) nor `2019-12-05` (SSL Certificates) | `NoSuchVersion` |
//! | `X-TC-Timestamp` not plain decimal digits | `InvalidParameter` |
//! | `X-TC-Language` not `zh-CN` / `en-US` | `InvalidParameterValue` |
//! | `Content-Type` media type not `application/json` (parameters such as `charset` are fine) | `InvalidParameter` |
//! | `Authorization` missing or malformed, algorithm not `TC3-HMAC-SHA256`, `SignedHeaders` lacking `content-type` or `host`, scope date not the timestamp's UTC date, scope service not `teo` (for `2022-09-01`) or not `ssl` (for `2019-12-05`), scope not ending in `tc3_request` | `AuthFailure.InvalidAuthorization` |
//! | timestamp more than 300 s from the server clock | `AuthFailure.SignatureExpire` |
//! | SecretId neither the configured one nor an accepted temporary one | `AuthFailure.SecretIdNotFound` |
//! | accepted temporary credentials past their `ExpiredTime` (by the server clock) | `AuthFailure.TokenFailure` |
//! | token missing or wrong for temporary credentials, or sent with permanent ones | `AuthFailure.TokenFailure` |
//! | signature mismatch | `AuthFailure.SignatureFailure` |
//! | action not served by the version's service: neither stateful nor in the spec for `2022-09-01`; not an SSL action for `2019-12-05` (so TEO actions are refused there) | `InvalidAction` |
//! | (TEO actions answered from the spec) the spec did not load — a bug of ours, the message says where | `InternalError` |
//! | body not a JSON object | `InvalidParameter` |
//! | a member the action (or the object holding it, e.g. `Filters.0.Foo`) does not define | `UnknownParameter` |
//! | then each member in the order the description lists it: required and absent or `null` | `MissingParameter` |
//! | … or of the wrong JSON type (a string for an integer, `2.5` for an integer, …) | `InvalidParameter` |
//! | … or negative where the type is unsigned | `InvalidParameterValue` |
//! | `ZoneId` not `zone-` + 1–32 lowercase letters/digits | `InvalidParameterValue` |
//! | `Offset` negative, or `Limit` below 1 or above the action's maximum (the message names the parameter and the maximum) | `InvalidParameterValue` |
//! | a filter name the action does not know | `InvalidFilter` |
//! | more than 20 values in one filter | `InvalidParameter.TooManyFilterValues` |
//! | a value outside its documented set (`Match`, `Status`, `Method`, `Mode`, …) or range (`TTL`, ports, …); a list longer than allowed | `InvalidParameterValue` |
//!
//! `Limit` maxima: `DescribeZones` 100, `DescribeAccelerationDomains` 200, `DescribeDnsRecords`,
//! `DescribePurgeTasks`, `DescribePrefetchTasks` and `DescribeOriginGroup` 1000; the default is 20.
//! List maxima: `ModifyDnsRecords.DnsRecords` 100, `ModifyDnsRecordsStatus` 200 per list,
//! `DeleteDnsRecords.RecordIds` 1000, `ModifyHostsCertificate.Hosts` 100.
//!
//! Filter names (fuzzy ones match substrings when `Fuzzy` is true; `Match: any` where noted):
//!
//! | listing | filters |
//! | --- | --- |
//! | `DescribeZones` | `zone-name`\*, `zone-id`, `status`, `zone-type`, `alias-zone-name`\*, `tag-key`, `tag-value` (zones have no alias or tags here, so the last three match nothing) |
//! | `DescribeDnsRecords` (`Match`) | `id`\*, `name`\*, `content`\*, `type`, `ttl` |
//! | `DescribePurgeTasks` | `job-id`, `target`\*, `domains`, `statuses`, `type` |
//! | `DescribePrefetchTasks` | `job-id`, `target`, `domains`, `statuses` |
//! | `DescribeAccelerationDomains` (`Match`) | `domain-name`\*, `origin`\*, `domain-cname`\*, `origin-type`, `backup-origin`, `share-cname`, `domain-status` |
//! | `DescribeOriginGroup` | `origin-group-id`, `origin-group-name`\* |
//!
//! (\* fuzzy.)
//!
//! State errors, per action (the codes come from each action's documented list where it has one):
//!
//! | action | refusal | code |
//! | --- | --- | --- |
//! | Create/Refresh/Modify gateway key | key exists (Create), no key (Refresh, Modify) | `OperationDenied` |
//! | Describe gateway key | no key | `ResourceNotFound` |
//! | DNS record, task, quota, domain (but Delete) and origin-group actions | unknown zone | `ResourceNotFound` |
//! | `ModifyHostsCertificate` | unknown zone | `ResourceUnavailable.ZoneNotFound` |
//! | `DeleteAccelerationDomains` | unknown zone | `InvalidParameter.ZoneNotFound` |
//! | `CreateDnsRecord`, `ModifyDnsRecords` | same name, type, content and route as another record | `InvalidParameterValue.ConflictRecord` |
//! | | name outside the zone or malformed | `InvalidParameterValue.InvalidDNSName` |
//! | | content not valid for the type (IPv4 for `A`, IPv6 for `AAAA`, non-empty) | `InvalidParameterValue.InvalidDNSContent` |
//! | | a CNAME pointing to its own name | `InvalidParameterValue.ContentSameAsName` |
//! | `ModifyDnsRecords`, `ModifyDnsRecordsStatus`, `DeleteDnsRecords` | unknown record id | `ResourceNotFound` |
//! | `CreatePurgeTask`, `CreatePrefetchTask` | more targets than the type's batch quota | `LimitExceeded.BatchQuota` |
//! | | more tasks than today's remaining daily quota | `LimitExceeded.DailyQuota` |
//! | | no target could become a task | `InvalidParameter.TaskNotGenerated` |
//! | `DescribePurgeTasks`, `DescribePrefetchTasks` | `EndTime` before `StartTime` | `InvalidParameter.ParameterError` |
//! | `ModifyHostsCertificate` | a host that is not an acceleration domain of the zone | `ResourceUnavailable.HostNotFound` |
//! | | `sslcert` without `ServerCertInfo`, or an empty `CertId` | `InvalidParameter.InvalidCertInfo` |
//! | | (only with [`StandIn::require_uploaded_certificates`]) a `CertId` not in the SSL store | `FailedOperation.CertificateNotFound` |
//! | | (same) a `CA` certificate in `ServerCertInfo` | `InvalidParameter.InvalidCertInfo` |
//! | | (same) an `SVR` certificate in `ClientCertInfo` / `UpstreamCertificateVerify.CustomCACerts`, a `CA` one in `UpstreamMutualTLS` | `InvalidParameterValue.CertificateVerifyClientMustCa` / `…UpstreamVerifyCustomCAMustCA` / `…UpstreamClientMustSVR` |
//! | | mutual TLS or `custom_ca` switched on without certificates | `InvalidParameterValue.CertificateVerify…NeedCert` |
//! | `CreateAccelerationDomain` | malformed domain name | `InvalidParameterValue.InvalidDomainName` |
//! | | domain outside the zone's name | `InvalidParameterValue.DomainNotMatchZone` |
//! | | domain already in this zone | `ResourceInUse` |
//! | | domain already in another zone | `ResourceUnavailable.DomainAlreadyExists` |
//! | Create/Modify acceleration domain | bad `OriginType` or empty `Origin` | `InvalidParameter.InvalidOrigin` |
//! | | `ORIGIN_GROUP` origin naming no group (`id`, or `id@zone-…`) | `InvalidParameterValue.OriginGroupNotExists` |
//! | | bad `PrivateAccess` / private parameter name / `IPv6Status` | `InvalidParameter.InvalidPrivateAccessSwitch` / `.InvalidPrivateAccessParams` / `.InvalidIpv6Switch` |
//! | Modify, ModifyStatuses, Delete acceleration domain(s) | unknown domain | `ResourceUnavailable.DomainNotFound` |
//! | `DeleteAccelerationDomains` | an `online` domain without `Force: true` | `InvalidParameterValue.InvalidDomainStatus` |
//! | Create/Modify origin group | name taken in the zone | `InvalidParameter.OriginNameExists` |
//! | | bad `Type` (required on Create) | `InvalidParameter.InvalidOriginGroupType` / `MissingParameter` |
//! | | no records, empty record, type not allowed in the group | `InvalidParameter.OriginRecordFormatError` |
//! | | weight above 100 | `InvalidParameter.OriginRecordWeightValue` |
//! | | `HostHeader` on a `GENERAL` group | `InvalidParameter.HostHeaderInvalid` |
//! | Modify/Delete origin group | unknown group | `ResourceNotFound` |
//! | `DeleteOriginGroup` | group is the (primary or backup) origin of an acceleration domain | `OperationDenied.OriginGroupAccelerationDomainUsed` |
//!
//! Batch actions are all or nothing: one refused entry changes nothing.
//!
//! # Actions answered from the spec
//!
//! A TEO action that no stateful family serves but the spec defines is answered from the spec
//! (read once, on first use, from the copy compiled in; [`StandInBuilder::spec_json`] serves
//! another text). After the header and signature checks above, its body is checked against the
//! action's `input` like the service checks it; the first failure answers (paths name nested
//! members and list entries by index, `Filters.0.Values.2`):
//!
//! | check | code | message |
//! | --- | --- | --- |
//! | body not a JSON object | `InvalidParameter` | ``The request body must be a JSON object.`` |
//! | a member the action (or the object holding it) does not define | `UnknownParameter` | ``The parameter `Filters.0.Foo` is not recognized.`` |
//! | then each member in the spec's order: required and absent or `null` | `MissingParameter` | ``The parameter `ZoneId` is missing.`` |
//! | … of the wrong JSON type (`string`, `datetime`, `date`: a string; `int64`: an integer; `uint64`: a non-negative integer; `float`: a number; `bool`: a boolean; lists: an array; objects: an object) | `InvalidParameter` | ``The parameter `Limit` must be an integer.`` |
//! | … `uint64` negative | `InvalidParameterValue` | ``The parameter `Weight` must not be negative.`` |
//! | … `int64` above its maximum | `InvalidParameterValue` | ``The parameter `Offset` breaks its `int64` constraint: …`` |
//! | … `datetime` not `YYYY-MM-DDThh:mm:ss` (or a space for `T`), optional fraction, optional `Z` or `±hh:mm`; `date` not `YYYY-MM-DD` | `InvalidParameterValue` | ``The parameter `StartTime` is `now`, not a date and time (…).`` |
//! | … breaking a constraint: `count` (entries of a list), then, for each string or number (each entry of a list), `length` (characters), `base64` (standard base64, decoded length in bytes), `pattern`, `enum`, `range` | `InvalidParameterValue` | ``The parameter `Area` breaks its `enum` constraint: `moon` is not one of: mainland, overseas, global.``, ``The parameter `Limit` breaks its `range` constraint: 1001, expected between 1 and 1000.``, ``The parameter `Tags` breaks its `count` constraint: 4 entries, expected at most 3.`` |
//!
//! Messages never quote the value of a member the spec marks `sensitive`.
//!
//! A request that passes is answered with `actions.<Name>.examples[0].output` (its `RequestId`
//! replaced by a fresh one), or just `{"RequestId": …}` when the action has no example. Where a
//! string member of that answer, at any depth, has the name of a string member of the request
//! whose name ends in `Id` (`ZoneId`, `ProxyId`, …, at any depth; the shallowest, then first,
//! when the request has several), the answer carries the request's value. Nothing is stored:
//! a `Create…` answered from the spec creates nothing a later `Describe…` lists.
//!
//! # SSL Certificates
//!
//! A request whose `X-TC-Version` is `2019-12-05` is an SSL Certificates call: it must be signed
//! with the scope service `ssl` (and the same credentials as TEO calls, temporary ones included),
//! and it runs only the SSL actions. Any other version is checked as a TEO call. So a mismatch
//! between version and scope is `AuthFailure.InvalidAuthorization`, naming the service the
//! version needs, and a version neither service has is `NoSuchVersion`. The common checks above
//! apply unchanged; after them:
//!
//! | action | check | code |
//! | --- | --- | --- |
//! | `UploadCertificate` | `CertificateType` not `SVR` or `CA` (any letter case; default `SVR`) | `InvalidParameterValue` |
//! | | `CertificatePublicKey` holding no well-formed PEM `CERTIFICATE` block (base64 body, DER `SEQUENCE`) | `FailedOperation.CertificateInvalid` |
//! | | `SVR` without `CertificatePrivateKey` (absent, `null` or blank) | `MissingParameter` |
//! | | `CertificatePrivateKey` given but not a well-formed PEM `… PRIVATE KEY` block | `FailedOperation.CertificateInvalid` |
//! | `DescribeCertificates` | `Limit` 0 or above 1000, `Offset` negative (the message names the parameter) | `InvalidParameterValue` |
//! | | `CertificateType` not `SVR`/`CA`, `FilterSource` not `upload`/`buy`, `ExpirationSort` not `ASC`/`DESC` | `InvalidParameterValue` |
//! | `DeleteCertificate` | `CertificateId` not in the store | `FailedOperation.CertificateNotFound` |
//!
//! `UploadCertificate` answers a fresh `CertificateId` (8 letters and digits) and `RepeatCertId:
//! null`. With `Repeatable: false`, a certificate whose first PEM block is byte-for-byte one
//! already stored (same SHA-256 fingerprint) is not stored again: both `CertificateId` and
//! `RepeatCertId` are the stored one's id. `KeyPassword` (in the Chinese description of this
//! version, not yet in the English one) is accepted. The key is not checked against the
//! certificate and no chain is verified, so `FailedOperation.CertificateMismatch` never answers.
//!
//! `DescribeCertificates` lists in upload order (the service's default is newest first),
//! `Limit` 10 by default. The description says a `Limit` above 1000 "is treated as 1000"; the
//! stand-in refuses it instead, so a client that asks for more than the maximum is caught.
//! `SearchKey` matches substrings of the id, alias, domain and subject alternative names,
//! ASCII-case-insensitively; `CertificateType`, `ProjectId`, `CertIds`, `CertificateStatus`,
//! `Tags` (all given must be present) and `FilterSource` (`buy` matches nothing) filter;
//! `ExpirationSort` orders by `CertEndTime`. `Deployable`, `Upload`, `Renew`, `IsSM`,
//! `FilterExpiring`, `Hostable` and `IsPendingIssue` are accepted and not applied. Each
//! `Certificates` entry has `CertificateId`, `Alias`, `CertificateType`, `Domain` (the first
//! certificate's subject CN, else its first DNS SAN, else the alias), `SubjectAltName` and
//! `CertSANs`, `From: "upload"`, `ProjectId` (a string, as described), `Status` (1, or 3 once the
//! server clock passes `notAfter`), `StatusName`, `InsertTime`, `CertBeginTime`, `CertEndTime`
//! (`YYYY-MM-DD HH:MM:SS`, UTC), `Tags`, `Deployable`, `IsWildcard`, `IsExpiring` (within 30
//! days), `KeyPasswordCustomFlag` and a few constant flags. `DeleteCertificate` removes at once
//! and answers `DeleteResult: true`, `TaskId: null`, also when `IsCheckResource` is true; it does
//! not look at TEO bindings.
//!
//! TEO linking: by default `ModifyHostsCertificate` binds any non-empty `CertId`, as before. With
//! [`StandInBuilder::require_uploaded_certificates`] or [`StandIn::require_uploaded_certificates`]
//! set to true, every id it is given (`ServerCertInfo`, `ClientCertInfo`, `UpstreamCertInfo`)
//! must be in the SSL store with the type its place needs (codes in the table above). It is an
//! explicit switch rather than "once something was uploaded" so that a test's outcome never
//! depends on whether another step happened to upload a certificate first.
//!
//! The store keeps an upload's private key and key password apart from the [`Certificate`] the
//! handle returns, and no answer, error message, log line or `Debug` output contains them
//! ([`RecordedRequest::body`] still holds the bytes the client sent).
//!
//! # Faults
//!
//! Queued faults ([`StandIn::push_fault`], [`StandIn::fail_next`]) are taken one per incoming
//! request, whatever it asks for and whether or not it is correctly signed, then service is
//! normal again. Faults that replace the answer skip the action, so zone state is unchanged; the
//! request is still checked and recorded, with the fault, in [`StandIn::requests`].
//!
//! # Signature details
//!
//! The signature covers the signed headers' values as sent (trimmed), the raw query string and
//! the body bytes, or `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` is sent.
//! `X-TC-Token`, `X-TC-Region` and `X-TC-RequestClient` are not signed and `X-TC-Region` is not
//! checked.
//!
//! # Tasks
//!
//! A `Create*Task` request makes one task per target, all sharing one `JobId`; targets that
//! cannot become a task (a URL without `http://`/`https://`, a host name with a path, an empty
//! tag) are answered in `FailedList` and use no quota. `purge_all` makes one task whose target is
//! the zone name. A new task answers `processing` to the first [`StandIn::DEFAULT_TASK_POLLS`]
//! `Describe*Tasks` answers that include it ([`StandIn::set_task_polls`] changes this for new
//! tasks), then its end status: `success`, or what [`StandIn::end_next_tasks`] or
//! [`StandIn::end_tasks_matching`] chose (`failed`, `timeout`, `canceled`; those carry a
//! `FailType` and `FailMessage`). Reading tasks through [`StandIn::tasks`] is not a poll. Each
//! zone starts with batch 2000 and daily 10000 for every purge type and `prefetch_url`
//! ([`StandIn::set_content_quota`]); the daily count restarts with each UTC day of the server
//! clock.
//!
//! # Credential servers
//!
//! Both listen on `127.0.0.1` (a free port), issue fresh random credentials (`AKID…` id, key,
//! 128-character token) on every successful answer, record them ([`MetadataServer::issued`],
//! [`StsServer::issued`], as [`IssuedCredentials`]) and count requests. Lifetimes are whole
//! seconds (`ExpiredTime` is unix seconds; `Expiration` the same instant as
//! `YYYY-MM-DDTHH:MM:SSZ`), measured on the system clock.
//!
//! [`MetadataServer`] answers `GET /latest/meta-data/cam/security-credentials/` with the role
//! name (plain text) and `GET /latest/meta-data/cam/security-credentials/<role>` with
//! `{"TmpSecretId","TmpSecretKey","Token","ExpiredTime","Expiration","Code":"Success"}`; any other
//! role, path or method, or any path when no role is bound, is a 404. Faults
//! ([`MetadataFault`]): `Down`, `Slow`, `CodeNotSuccess`, `MalformedJson`.
//!
//! [`StsServer`] answers `POST /`, version `2018-08-13`, with
//! `{"Response":{"Credentials":{"Token","TmpSecretId","TmpSecretKey"},"ExpiredTime","Expiration","RequestId"}}`.
//! `AssumeRole` is checked like TEO requests above, but for service `sts` and the STS base
//! credentials; `AssumeRoleWithWebIdentity` must be sent with `Authorization: SKIP` (the common
//! headers are still checked: action, version, a well-formed `X-TC-Timestamp` whose drift is not
//! checked, language, content type). Faults ([`StsFault`]): `Down`, `Slow`, `MalformedJson`, `ApiError`.
//! After the header and signature checks (codes as in the table above):
//!
//! | check | code |
//! | --- | --- |
//! | `AssumeRoleWithWebIdentity` with an `Authorization` other than `SKIP` | `AuthFailure.InvalidAuthorization` |
//! | another action | `InvalidAction` |
//! | body not a JSON object, a member of the wrong JSON type, `DurationSeconds` not an unsigned integer | `InvalidParameter` |
//! | a member the action does not define | `UnknownParameter` |
//! | `RoleArn`, `RoleSessionName` (and `ProviderId`, `WebIdentityToken`) absent or `null` | `MissingParameter` |
//! | `RoleArn` empty; `RoleSessionName` or `ExternalId` not 2–128 of letters, digits and `=,.@_-+` (`ExternalId` also `:/`); `DurationSeconds` 0; `ProviderId` empty or not the configured one | `InvalidParameter.ParamError` |
//! | `RoleArn` not one of the configured roles (when any are configured) | `ResourceNotFound.RoleNotFound` |
//! | `DurationSeconds` above 43200 | `InvalidParameter.OverTimeError` |
//! | `WebIdentityToken` not the configured one | `InvalidParameter.WebIdentityTokenError` |
//!
//! Linking (`MetadataServerBuilder::issue_to`, `StsServerBuilder::issue_to`, or the same methods
//! on a running server) makes a [`StandIn`] accept each set issued from then on:
//! [`StandIn::accept_temporary`] with the set's `ExpiredTime`. Until the stand-in's clock reaches
//! it, requests signed with the temporary key and sending its token as `X-TC-Token` pass; then
//! they are answered `AuthFailure.TokenFailure`. Moving the stand-in's clock with
//! [`StandIn::set_clock_skew`] expires them without waiting.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::time::Duration;
//! use teo_stand_in::{MetadataServer, StandIn, StsServer};
//!
//! let stand_in = StandIn::start().await?;
//! let metadata = MetadataServer::builder().lifetime(Duration::from_secs(5)).issue_to(&stand_in).start().await?;
//! let sts = StsServer::builder().lifetime(Duration::from_secs(5)).issue_to(&stand_in).start().await?;
//! // Point a CVM role provider at `metadata.endpoint()`, an AssumeRole provider at
//! // `sts.endpoint()` (base credentials `StsServer::DEFAULT_SECRET_ID` / `DEFAULT_SECRET_KEY`),
//! // and the client at `stand_in.endpoint()`; then, for single flight:
//! assert!(metadata.credential_requests() <= 1);
//! # Ok(())
//! # }
//! ```
//!
//! # Other decisions
//!
//! The gateway-key actions accept every well-formed zone id, registered or not; every other
//! action needs a zone registered through the handle. `ZoneId` is required in
//! `DescribePurgeTasks`, `DescribePrefetchTasks` and `DescribeOriginGroup` (the description marks
//! it optional, its text required), and `ZoneId: "*"` is not supported. Listings answer in creation
//! order: `Order`, `Direction`, `SortBy` and `SortOrder` are accepted and not applied; exact
//! filters compare ASCII-case-insensitively, fuzzy ones (where the action allows `Fuzzy`) match
//! substrings. New acceleration domains are `online`; in a `partial` (CNAME) zone that is not
//! `active` they wait for ownership verification, and Create answers `OwnershipVerification`
//! (otherwise `null`). Certificate ids bind unchecked unless uploaded certificates are required
//! (see [SSL Certificates](#ssl-certificates)). A gateway-key Create whose `SecretKey` is absent, `null` or empty stores a random key (32
//! bytes, base64); Refresh always generates one; Modify needs a valid key. Error messages are
//! English whatever `X-TC-Language` asks for.

#![forbid(unsafe_code)]

mod actions;
mod connections;
mod faults;
mod handle;
mod handle_ssl;
mod issued;
mod loopback;
mod metadata;
mod model;
mod pem;
mod record;
mod request_check;
mod response;
mod server;
mod spec_catalog;
mod state;
mod store;
mod sts;
mod throttle;
mod time;
mod verify;

/// Log capture for tests: [`tencentcloud_runtime::test_util::log_capture`], re-exported.
pub use tencentcloud_runtime::test_util::log_capture;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::Fault;
pub use issued::IssuedCredentials;
pub use metadata::{MetadataFault, MetadataServer, MetadataServerBuilder};
pub use model::{
    AccelerationDomain, Certificate, DnsRecord, HostCertificate, MutualTls, Origin, OriginGroup, OriginRecord,
    PrivateParameter, Quota, Task, TaskKind, TaskStatus, UnknownZone, Zone,
};
pub use record::{Outcome, RecordedRequest, Verification};
pub use sts::{StsFault, StsServer, StsServerBuilder};
pub use verify::Credentials;

use spec_catalog::SpecSource;
use state::{Rng, Shared, State};
use store::Store;
use verify::Clock;

/// A running stand-in server on `127.0.0.1`.
///
/// Dropping it (or calling [`StandIn::shutdown`]) stops the server and closes open connections.
/// `Debug` shows the endpoint and SecretId, never the secret key, the token or zone keys.
pub struct StandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl StandIn {
    /// The SecretId [`StandIn::start`] accepts.
    pub const DEFAULT_SECRET_ID: &'static str = "AKIDSTANDIN00000000000000000000000000";
    /// The SecretKey [`StandIn::start`] checks signatures with.
    pub const DEFAULT_SECRET_KEY: &'static str = "standin-secret-key-not-a-real-secret";
    /// The TEO API version served; an `X-TC-Version` that is neither this nor
    /// [`StandIn::SSL_VERSION`] is answered with `NoSuchVersion`.
    pub const VERSION: &'static str = verify::VERSION;
    /// The service name expected in the credential scope.
    pub const SERVICE: &'static str = verify::SERVICE;
    /// The SSL Certificates API version served on the same endpoint: a request with this
    /// `X-TC-Version` is an SSL call, checked for [`StandIn::SSL_SERVICE`].
    pub const SSL_VERSION: &'static str = verify::SSL_VERSION;
    /// The service name an SSL call's credential scope must name.
    pub const SSL_SERVICE: &'static str = verify::SSL_SERVICE;
    /// How far, in seconds, `X-TC-Timestamp` may be from the server clock.
    pub const MAX_TIMESTAMP_DRIFT_SECS: i64 = verify::MAX_TIMESTAMP_DRIFT_SECS;
    /// How many `Describe*Tasks` answers show a new task as `processing` until
    /// [`StandIn::set_task_polls`] says otherwise.
    pub const DEFAULT_TASK_POLLS: u32 = store::DEFAULT_TASK_POLLS;

    /// A builder for custom credentials, clock or preloaded zone keys.
    pub fn builder() -> StandInBuilder {
        StandInBuilder::default()
    }

    /// Starts a stand-in with the default credentials and the system clock.
    ///
    /// Must be called inside a Tokio runtime.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// The base URL, `http://127.0.0.1:<port>`, with no trailing slash.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().records.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().records.clear();
    }

    /// The zone's current multi-path gateway secret key, if it has one.
    pub fn zone_key(&self, zone_id: &str) -> Option<String> {
        self.shared.lock().store.keys.get(zone_id).cloned()
    }

    /// Sets a zone's key directly, as if it had been created. The key is stored as given, unchecked.
    pub fn set_zone_key(&self, zone_id: impl Into<String>, key: impl Into<String>) {
        self.shared.lock().store.keys.insert(zone_id.into(), key.into());
    }

    /// Deletes a zone's key, returning it.
    pub fn remove_zone_key(&self, zone_id: &str) -> Option<String> {
        self.shared.lock().store.keys.remove(zone_id)
    }

    /// Queues one fault for the next request that has none queued before it.
    pub fn push_fault(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Queues `count` copies of `fault`: the next `count` requests get it, then service is normal.
    pub fn fail_next(&self, count: usize, fault: Fault) {
        self.shared.lock().faults.extend(std::iter::repeat_n(fault, count));
    }

    /// How many queued faults are still waiting for a request.
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.len()
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Closes each keep-alive connection once it has been idle for `idle` (no request in
    /// flight), as a load balancer's idle timer does; `None` keeps connections open. Applies to
    /// connections accepted after the call.
    pub fn close_idle_connections_after(&self, idle: Option<Duration>) {
        self.shared.lock().connections.close_idle_after = idle;
    }

    /// Drops a request that arrives on a keep-alive connection idle for at least `idle` since
    /// its last answer: the connection is closed with no answer and the action does not run
    /// (recorded with [`Fault::DropConnection`]). This is the race a front end's idle timer
    /// makes when it fires as a request comes in. `None` turns it off.
    pub fn drop_requests_on_stale_connections(&self, idle: Option<Duration>) {
        self.shared.lock().connections.drop_stale_after = idle;
    }

    /// Answers every request with HTTP 503 (a small HTML page, nothing run) for `period` from
    /// now, as a service that is down would; recorded with [`Fault::html_status`]`(503)`.
    /// `Duration::ZERO` ends an outage early.
    pub fn unavailable_for(&self, period: Duration) {
        self.shared.lock().connections.unavailable_until = Some(std::time::Instant::now() + period);
    }

    /// Answers `RequestLimitExceeded` to any request (of any action) that would make more than
    /// `per_second` served requests within the last second, as the real service does at an
    /// account's limit, without announcing the rate; `None` turns it off. Throttled requests are
    /// not served (nor counted) and are recorded with that fault. A queued fault still goes first.
    pub fn throttle_above(&self, per_second: Option<u32>) {
        self.shared.lock().throttle = per_second.map(throttle::Throttle::new);
    }

    /// Replaces the accepted credentials, e.g. to test a client's credential rotation.
    pub fn set_credentials(&self, credentials: Credentials) {
        self.shared.lock().credentials = credentials;
    }

    /// Accepts these temporary credentials too (the configured ones keep working), until the
    /// server clock reaches `expired_time` (unix seconds); after that, requests signed with them
    /// are answered `AuthFailure.TokenFailure`. A [`MetadataServer`] or [`StsServer`] linked with
    /// `issue_to` calls this for every set it issues.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use teo_stand_in::{Credentials, StandIn};
    ///
    /// let stand_in = StandIn::start().await?;
    /// let temporary = Credentials::new("AKIDtemporary", "temporary-key").with_session_token("token");
    /// stand_in.accept_temporary(temporary, stand_in.server_time() + 60);
    /// assert_eq!(stand_in.accepted_temporary(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn accept_temporary(&self, credentials: Credentials, expired_time: i64) {
        self.issued_keys()
            .insert(IssuedCredentials::new(credentials, expired_time));
    }

    /// How many sets of temporary credentials have been accepted (expired ones included).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// assert_eq!(stand_in.accepted_temporary(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn accepted_temporary(&self) -> usize {
        self.issued_keys().len()
    }

    /// The registry linked issuers add to.
    pub(crate) fn issued_keys(&self) -> Arc<issued::IssuedKeys> {
        Arc::clone(&self.shared.lock().issued)
    }

    /// Moves the server clock to the system clock plus `skew_secs` (which may be negative).
    pub fn set_clock_skew(&self, skew_secs: i64) {
        self.shared.lock().clock = Clock { skew_secs, fixed: None };
    }

    /// The server's current unix time, the one `X-TC-Timestamp` is checked against.
    pub fn server_time(&self) -> i64 {
        self.shared.lock().clock.now()
    }

    /// Stops the server and waits until the listener is closed.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // The only possible error is the cancellation just requested.
            let _ = task.await;
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for StandIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("StandIn")
            .field("endpoint", &self.endpoint())
            .field("credentials", &state.credentials)
            .field("accepted_temporary", &state.issued.len())
            .field("zone_keys", &state.store.keys.len())
            .field("zones", &state.store.zones.len())
            .field("certificates", &state.store.certificates.rows.len())
            .field("pending_faults", &state.faults.len())
            .field("recorded_requests", &state.records.len())
            .finish()
    }
}

/// Configures a [`StandIn`] before it starts.
///
/// `Debug` hides the secret key, the token and zone keys.
pub struct StandInBuilder {
    credentials: Credentials,
    clock: Clock,
    /// Zone id → gateway key.
    keys: HashMap<String, String>,
    /// Zones to register: (chosen id, name).
    zones: Vec<(Option<String>, String)>,
    /// Whether ModifyHostsCertificate needs certificate ids of the SSL store.
    require_uploaded_certificates: bool,
    /// A spec text to answer the generic actions from instead of the committed spec.
    spec_json: Option<String>,
    /// The port to listen on; 0 for a free one.
    port: u16,
}

impl Default for StandInBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::new(StandIn::DEFAULT_SECRET_ID, StandIn::DEFAULT_SECRET_KEY),
            clock: Clock::default(),
            keys: HashMap::new(),
            zones: Vec::new(),
            require_uploaded_certificates: false,
            port: 0,
            spec_json: None,
        }
    }
}

impl fmt::Debug for StandInBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandInBuilder")
            .field("credentials", &self.credentials)
            .field("clock", &self.clock)
            .field("zone_keys", &self.keys.len())
            .field("zones", &self.zones.len())
            .field("require_uploaded_certificates", &self.require_uploaded_certificates)
            .field("custom_spec", &self.spec_json.is_some())
            .field("port", &self.port)
            .finish()
    }
}

impl StandInBuilder {
    /// Makes TEO's `ModifyHostsCertificate` accept only certificate ids uploaded to the
    /// stand-in's SSL store (see [`StandIn::require_uploaded_certificates`]). Off by default.
    #[must_use]
    pub fn require_uploaded_certificates(mut self, require: bool) -> Self {
        self.require_uploaded_certificates = require;
        self
    }

    /// The one SecretId/SecretKey pair to accept (a session token set earlier is kept).
    #[must_use]
    pub fn credentials(mut self, secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        let token = self.credentials.session_token().map(str::to_owned);
        self.credentials = Credentials::new(secret_id, secret_key);
        if let Some(token) = token {
            self.credentials = self.credentials.with_session_token(token);
        }
        self
    }

    /// Makes the credentials temporary: every request must send this `X-TC-Token`.
    #[must_use]
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = self.credentials.with_session_token(token);
        self
    }

    /// Runs the server clock `skew_secs` ahead of the system clock (behind, if negative).
    #[must_use]
    pub fn clock_skew(mut self, skew_secs: i64) -> Self {
        self.clock = Clock { skew_secs, fixed: None };
        self
    }

    /// Freezes the server clock at this unix time, e.g. to replay recorded requests.
    #[must_use]
    pub fn fixed_time(mut self, unix_secs: i64) -> Self {
        self.clock = Clock {
            skew_secs: 0,
            fixed: Some(unix_secs),
        };
        self
    }

    /// Gives a zone a key before the server starts.
    #[must_use]
    pub fn zone_key(mut self, zone_id: impl Into<String>, key: impl Into<String>) -> Self {
        self.keys.insert(zone_id.into(), key.into());
        self
    }

    /// Registers a zone named `name` (`full` access, `active`) under a generated id; read the id
    /// back with [`StandIn::zone_id`] or [`StandIn::zones`].
    #[must_use]
    pub fn zone(mut self, name: impl Into<String>) -> Self {
        self.zones.push((None, name.into()));
        self
    }

    /// Registers a zone under a chosen id, which requests can name when it is `zone-` and 1 to 32
    /// lowercase letters or digits. A second zone with the same id is ignored.
    #[must_use]
    pub fn zone_with_id(mut self, zone_id: impl Into<String>, name: impl Into<String>) -> Self {
        self.zones.push((Some(zone_id.into()), name.into()));
        self
    }

    /// Answers the TEO actions without state from this spec text (our spec format,
    /// spec/README.md) instead of the committed `spec/teo-2022-09-01.json`: each action it
    /// holds that the stand-in does not serve statefully is checked against its input and
    /// answered from its first example (see [Actions answered from the spec](crate#actions-answered-from-the-spec)).
    /// The stateful actions are unchanged whatever the text says. The text is read when the
    /// stand-in starts; one that does not load makes every such answer `InternalError`, with
    /// the reason in the message. For tests of the stand-in, and of clients generated from
    /// another spec.
    #[must_use]
    pub fn spec_json(mut self, text: impl Into<String>) -> Self {
        self.spec_json = Some(text.into());
        self
    }

    #[must_use]
    /// Listens on this port of `127.0.0.1` instead of a free one (0, the default, picks a free
    /// one), for a stand-in other programs reach at a known address (the `teo-stand-in` binary).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds `127.0.0.1` (a free port unless [`port`](Self::port) chose one) and starts
    /// serving. Must be called inside a Tokio runtime.
    pub async fn start(self) -> io::Result<StandIn> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let mut rng = Rng::from_entropy();
        let now = self.clock.now();
        let mut store = Store {
            keys: self.keys,
            ..Store::default()
        };
        store.certificates.require_uploaded = self.require_uploaded_certificates;
        for (zone_id, name) in self.zones {
            match zone_id {
                Some(zone_id) => {
                    store.add_zone(zone_id, name, now);
                }
                None => {
                    store.add_generated_zone(&mut rng, name, now);
                }
            }
        }
        let spec = match self.spec_json {
            None => SpecSource::Committed,
            Some(text) => SpecSource::Custom(Arc::new(spec_catalog::Catalog::parse(&text, "custom spec"))),
        };
        let shared = Arc::new(Shared::new(State {
            credentials: self.credentials,
            issued: Arc::default(),
            clock: self.clock,
            store,
            faults: VecDeque::new(),
            records: Vec::new(),
            rng,
            spec,
            connections: connections::ConnectionFaults::default(),
            throttle: None,
        }));
        let task = tokio::spawn(server::accept_loop(listener, Arc::clone(&shared)));
        tracing::debug!(%addr, "stand-in listening");
        Ok(StandIn {
            addr,
            shared,
            task: Some(task),
        })
    }
}
