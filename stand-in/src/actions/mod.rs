// The actions the stand-in serves, one module per resource family (TEO's, and the SSL
// Certificates service's), and the dispatch that reads a request body against the action's
// declared members before running it. Every other TEO action of the spec is answered by
// `from_spec`: checked against the spec and answered from its first example.

mod certificates;
mod dns_records;
mod domains;
mod from_spec;
mod gateway_keys;
mod listing;
mod origin_groups;
pub(crate) mod params;
mod ssl;
mod tasks;
mod zones;

use serde_json::{Map, Value};

use crate::response::ApiError;
use crate::spec_catalog::LoadedCatalog;
use crate::state::Rng;
use crate::store::{Store, ZoneData};
use crate::verify::{Service, SSL, TEO};

use params::{Field, Params};

/// What an action may touch: the resource store, the id generator and the server time.
pub(crate) struct Ctx<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) rng: &'a mut Rng,
    /// Unix seconds on the server clock.
    pub(crate) now: i64,
}

/// The `Response` members of a successful answer, `RequestId` aside.
pub(crate) type Answer = Result<Map<String, Value>, ApiError>;

/// One served action: its wire name, its request members, and what it does.
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) input: &'static [Field],
    pub(crate) run: fn(Params<'_>, &mut Ctx<'_>) -> Answer,
}

/// Which service a request is for: both are served on the one endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// TEO (EdgeOne), `teo`, `2022-09-01`.
    Teo,
    /// SSL Certificates, `ssl`, `2019-12-05`.
    Ssl,
}

impl Api {
    /// The service an `X-TC-Version` asks for: SSL's version means SSL; anything else is checked
    /// (and, if wrong, refused) as TEO.
    pub(crate) fn for_version(version: Option<&str>) -> Self {
        if version.map(str::trim) == Some(SSL.version) {
            Self::Ssl
        } else {
            Self::Teo
        }
    }

    /// Its name in the credential scope and its version.
    pub(crate) fn service(self) -> Service {
        match self {
            Self::Teo => TEO,
            Self::Ssl => SSL,
        }
    }

    fn families(self) -> &'static [&'static [Spec]] {
        match self {
            Self::Teo => &FAMILIES,
            Self::Ssl => &SSL_FAMILIES,
        }
    }
}

/// The SSL Certificates service's actions.
const SSL_FAMILIES: [&[Spec]; 1] = [ssl::ACTIONS];

/// Every TEO family's actions.
const FAMILIES: [&[Spec]; 7] = [
    gateway_keys::ACTIONS,
    zones::ACTIONS,
    dns_records::ACTIONS,
    tasks::ACTIONS,
    certificates::ACTIONS,
    domains::ACTIONS,
    origin_groups::ACTIONS,
];

/// The action `api` serves under `name`, if any.
fn find(api: Api, name: &str) -> Option<&'static Spec> {
    api.families()
        .iter()
        .flat_map(|family| family.iter())
        .find(|spec| spec.name == name)
}

/// Answers action `name`: a stateful action when a family serves it; otherwise, for TEO, the
/// answer `catalog` (the spec) gives when it holds the action; otherwise `InvalidAction`.
pub(crate) fn answer(api: Api, name: &str, body: &[u8], ctx: &mut Ctx<'_>, catalog: &LoadedCatalog) -> Answer {
    if api == Api::Teo && find(api, name).is_none() {
        if let Some(answer) = from_spec::run(catalog, name, body) {
            return answer;
        }
    }
    run(api, name, body, ctx)
}

/// Runs the stateful action `name` on `body`, returning the `Response` members other than
/// `RequestId`; `InvalidAction` when no family serves it.
pub(crate) fn run(api: Api, name: &str, body: &[u8], ctx: &mut Ctx<'_>) -> Answer {
    let spec = find(api, name).ok_or_else(|| {
        ApiError::new(
            "InvalidAction",
            format!("The action `{name}` is not supported by this service."),
        )
    })?;
    let map = params::parse_object(body)?;
    params::check(&map, spec.input)?;
    (spec.run)(Params::new(&map), ctx)
}

/// The zone `zone_id`, or `code` (the action's documented "no such zone" code).
pub(crate) fn zone_mut<'s>(store: &'s mut Store, zone_id: &str, code: &str) -> Result<&'s mut ZoneData, ApiError> {
    store.zone_mut(zone_id).ok_or_else(|| unknown_zone(zone_id, code))
}

/// The zone `zone_id`, read-only, or `code`.
pub(crate) fn zone_ref<'s>(store: &'s Store, zone_id: &str, code: &str) -> Result<&'s ZoneData, ApiError> {
    store.zone(zone_id).ok_or_else(|| unknown_zone(zone_id, code))
}

/// The answer for a zone id that names no zone, with the action's chosen code.
pub(crate) fn unknown_zone(zone_id: &str, code: &str) -> ApiError {
    ApiError::new(code, format!("The zone `{zone_id}` does not exist."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_served_once() {
        let names: Vec<&str> = FAMILIES
            .iter()
            .flat_map(|family| family.iter())
            .map(|spec| spec.name)
            .collect();
        assert_eq!(names.len(), 25, "{names:?}");
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(find(Api::Teo, "DescribeZones").is_some() && find(Api::Teo, "DescribeZone").is_none());
        assert!(find(Api::Ssl, "DescribeCertificates").is_some() && find(Api::Teo, "DescribeCertificates").is_none());
        assert!(find(Api::Ssl, "DescribeZones").is_none());
    }

    const WWW: &str = include_str!("../../tests/fixtures/www.pem");
    const WWW_KEY: &str = include_str!("../../tests/fixtures/www.key");

    /// Every member of every action, set to values of every JSON type and a few edge values,
    /// gets an answer (success or error), never a panic.
    #[test]
    fn odd_values_never_panic() {
        let samples = [
            "null",
            "true",
            "0",
            "-1",
            "18446744073709551615",
            "-9223372036854775808",
            "1.5",
            "1e300",
            "\"\"",
            "\"zone-a\"",
            "\"ü\u{0}\"",
            "[]",
            "[null]",
            "[{}]",
            "[\"\"]",
            "{}",
            "{\"Name\":\"x\",\"Values\":[]}",
        ];
        let mut store = Store::default();
        store.add_zone("zone-a".to_owned(), "example.com".to_owned(), 0);
        let mut rng = Rng::from_entropy();
        let mut answered = 0;
        let every = [Api::Teo, Api::Ssl].into_iter().flat_map(|api| {
            api.families()
                .iter()
                .flat_map(|family| family.iter())
                .map(move |spec| (api, spec))
        });
        for (api, spec) in every {
            for field in spec.input {
                for sample in samples {
                    // SSL actions have no ZoneId; a real certificate and key let every upload
                    // member be read.
                    let mut body = Map::new();
                    match api {
                        Api::Teo => {
                            body.insert("ZoneId".to_owned(), Value::from("zone-a"));
                        }
                        Api::Ssl if spec.name == "UploadCertificate" => {
                            body.insert("CertificatePublicKey".to_owned(), Value::from(WWW));
                            body.insert("CertificatePrivateKey".to_owned(), Value::from(WWW_KEY));
                        }
                        Api::Ssl => {}
                    }
                    let value = serde_json::from_str(sample).unwrap_or(Value::Null);
                    body.insert(field.name.to_owned(), value);
                    let body = Value::Object(body).to_string();
                    let mut ctx = Ctx {
                        store: &mut store,
                        rng: &mut rng,
                        now: 1_700_000_000,
                    };
                    let _answer = run(api, spec.name, body.as_bytes(), &mut ctx);
                    answered += 1;
                }
            }
        }
        assert!(answered > 1000, "{answered}");
    }

    #[test]
    fn unknown_actions_are_invalid_action() {
        let mut store = Store::default();
        let mut rng = Rng::from_entropy();
        let mut ctx = Ctx {
            store: &mut store,
            rng: &mut rng,
            now: 0,
        };
        let answer = run(Api::Teo, "DescribeEverything", b"{}", &mut ctx).map_err(|error| error.code);
        assert_eq!(answer.err().as_deref(), Some("InvalidAction"));
        let answer = run(Api::Ssl, "DescribeZones", b"{}", &mut ctx).map_err(|error| error.code);
        assert_eq!(answer.err().as_deref(), Some("InvalidAction"));
    }
}
