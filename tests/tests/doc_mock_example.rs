//! The unit-test example of docs/using-the-client.md ("Unit tests with a mock client"), compiled
//! and run here; `the_docs_show_this_example` fails when the docs and this file differ, and
//! `the_readme_snippet_comes_from_this_example` when a line of the README's snippet is not in it.

// doc:start
use generated_client::errors::DescribeZonesError;
use generated_client::models::AdvancedFilter;
use generated_client::{Client, Error};

/// The id of the zone named `name`, or `None` when the account has no such zone.
pub async fn zone_id(client: &Client, name: &str) -> Result<Option<String>, Error<DescribeZonesError>> {
    let by_name = AdvancedFilter::builder()
        .name("zone-name")
        .values(vec![name.to_owned()])
        .build()
        .map_err(Error::Validation)?;
    let out = client
        .describe_zones()
        .filters(vec![by_name])
        .customize(|c| c.header("X-TC-TraceId", "zone-lookup"))
        .send()
        .await?;
    Ok(out.zones().first().and_then(|zone| zone.zone_id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use generated_client::errors::DescribeZonesErrorKind;
    use generated_client::models::{DescribeZonesRequest, DescribeZonesResponse, Zone};
    use generated_client::{mock, mock_client};

    /// Whether the request filters on this zone name.
    fn asks_for(request: &DescribeZonesRequest, name: &str) -> bool {
        let filters = request.filters.as_deref().unwrap_or_default();
        filters.iter().any(|f| f.name == "zone-name" && f.values == [name])
    }

    fn one_zone(id: &str, name: &str) -> DescribeZonesResponse {
        let zone = Zone::builder().zone_id(id).zone_name(name).build().unwrap();
        DescribeZonesResponse::builder()
            .total_count(1)
            .zones(vec![zone])
            .request_id("r-1")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn finds_a_zone_by_name() {
        let found = mock!(Client::describe_zones)
            .match_requests(|r| asks_for(r, "example.com"))
            .then_output(|| one_zone("zone-2noz3g48ev6k", "example.com"));
        let client = mock_client!(generated_client, [&found]);

        let id = zone_id(&client, "example.com").await.unwrap();
        assert_eq!(id.as_deref(), Some("zone-2noz3g48ev6k"));
        assert_eq!(found.num_calls(), 1);
    }

    #[tokio::test]
    async fn passes_on_a_typed_service_error() {
        let denied = mock!(Client::describe_zones).then_error(
            "UnauthorizedOperation.NoPermission",
            "the sub-account may not list zones",
        );
        let client = mock_client!(generated_client, [&denied]);

        match zone_id(&client, "example.com").await {
            Err(Error::Service(e)) => {
                assert_eq!(e.kind(), DescribeZonesErrorKind::UnauthorizedOperationNoPermission)
            }
            other => panic!("expected a service error, got {other:?}"),
        }
    }
}
// doc:end

/// The text between the markers of `text` (exclusive), trimmed at both ends.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} not found")) + start.len();
    let to = from + text[from..].find(end).unwrap_or_else(|| panic!("{end} not found"));
    text[from..to].trim()
}

fn this_file() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/doc_mock_example.rs")).unwrap()
}

#[test]
fn the_docs_show_this_example() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/using-the-client.md")).unwrap();
    let shown = between(
        &docs,
        "<!-- mock-example: tests/tests/doc_mock_example.rs -->\n```rust",
        "```",
    );
    let code = this_file();
    let example = between(&code, "// doc:start", "// doc:end");
    assert_eq!(shown, example, "copy the example between the markers into the docs");
}

#[test]
fn the_readme_snippet_comes_from_this_example() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let snippet = between(
        &readme,
        "<!-- mock-snippet: tests/tests/doc_mock_example.rs -->\n```rust",
        "```",
    );
    let code = this_file();
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    for line in snippet.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") || line == "// ..." {
            continue;
        }
        assert!(lines.contains(&line), "README line not in the example: {line}");
    }
}
