//! Printing an answer: redaction of sensitive members, `--query`, and the json, text and table
//! formats. Never a pager; a closed pipe (`| head`) ends the run quietly.

use std::io::{self, Write as _};

use serde_json::{Map, Value};

use crate::failure::Failure;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON (the default).
    Json,
    /// Tab-separated values, one line per object.
    Text,
    /// An aligned table.
    Table,
    /// Nothing.
    Off,
}

impl Format {
    /// The format named by `--output` (json when not given).
    pub fn parse(name: Option<&str>) -> Format {
        match name {
            Some("text") => Format::Text,
            Some("table") => Format::Table,
            Some("off") => Format::Off,
            _ => Format::Json,
        }
    }
}

/// Replaces the value of every member named in `sensitive`, at any depth, by the redaction
/// marker (a `null` stays `null`: there is nothing to hide).
pub fn redact(value: &mut Value, sensitive: &[&str]) {
    if sensitive.is_empty() {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if sensitive.contains(&key.as_str()) && !member.is_null() {
                    *member = Value::String(generated_client::REDACTED.to_owned());
                } else {
                    redact(member, sensitive);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact(v, sensitive)),
        _ => {}
    }
}

/// Applies a JMESPath expression.
pub fn query(value: Value, expression: &str) -> Result<Value, Failure> {
    let compiled = jmespath::compile(expression).map_err(|e| Failure::usage(format!("--query: {e}")))?;
    let found = compiled
        .search(value)
        .map_err(|e| Failure::usage(format!("--query: {e}")))?;
    serde_json::to_value(&*found).map_err(|e| Failure::other(format!("--query: {e}")))
}

/// The text of `value` in `format`.
pub fn render(value: &Value, format: Format) -> String {
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => {
            let mut out = String::new();
            text(value, &mut out);
            out
        }
        Format::Table => {
            let mut out = String::new();
            table(value, None, &mut out);
            out
        }
        Format::Off => String::new(),
    }
}

/// Writes `text` to stdout; a reader that went away (`| head`) is not an error.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::other(format!("cannot write the output: {e}"))),
    }
}

/// A scalar as text: strings bare, `null` as `None` (as aws-cli's text output prints it).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "None".to_owned(),
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Text: a scalar on its line; a list of scalars on one line, tab-separated; an object's
/// scalar members on one line, tab-separated, then each nested member in turn; a list of
/// objects, one object after the other.
fn text(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) if items.iter().all(is_scalar) => {
            if !items.is_empty() {
                out.push_str(&items.iter().map(scalar_text).collect::<Vec<_>>().join("\t"));
                out.push('\n');
            }
        }
        Value::Array(items) => items.iter().for_each(|v| text(v, out)),
        Value::Object(map) => {
            let scalars: Vec<String> = map.values().filter(|v| is_scalar(v)).map(scalar_text).collect();
            if !scalars.is_empty() {
                out.push_str(&scalars.join("\t"));
                out.push('\n');
            }
            for nested in map.values().filter(|v| !is_scalar(v)) {
                text(nested, out);
            }
        }
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

/// Table: a list of objects as rows under a header of their scalar members; an object as a
/// two-column table of its scalar members, then each nested list or object under its name.
fn table(value: &Value, title: Option<&str>, out: &mut String) {
    match value {
        Value::Array(items) if items.iter().all(|v| v.is_object()) && !items.is_empty() => {
            let mut columns: Vec<&str> = Vec::new();
            for item in items {
                if let Value::Object(map) = item {
                    for (k, v) in map {
                        if is_scalar(v) && !columns.contains(&k.as_str()) {
                            columns.push(k);
                        }
                    }
                }
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    columns
                        .iter()
                        .map(|c| item.get(*c).map(scalar_text).unwrap_or_default())
                        .collect()
                })
                .collect();
            grid(
                title,
                &columns.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>(),
                &rows,
                out,
            );
            for item in items {
                if let Value::Object(map) = item {
                    nested(map, out);
                }
            }
        }
        Value::Array(items) => {
            let rows: Vec<Vec<String>> = items.iter().map(|v| vec![scalar_or_json(v)]).collect();
            grid(title, &[], &rows, out);
        }
        Value::Object(map) => {
            let rows: Vec<Vec<String>> = map
                .iter()
                .filter(|(_, v)| is_scalar(v))
                .map(|(k, v)| vec![k.clone(), scalar_text(v)])
                .collect();
            if !rows.is_empty() {
                grid(title, &[], &rows, out);
            }
            nested(map, out);
        }
        scalar => grid(title, &[], &[vec![scalar_text(scalar)]], out),
    }
}

fn nested(map: &Map<String, Value>, out: &mut String) {
    for (k, v) in map.iter().filter(|(_, v)| !is_scalar(v)) {
        table(v, Some(k), out);
    }
}

fn scalar_or_json(value: &Value) -> String {
    if is_scalar(value) {
        scalar_text(value)
    } else {
        value.to_string()
    }
}

/// An aligned grid with `|` between columns, an optional title and header.
fn grid(title: Option<&str>, header: &[String], rows: &[Vec<String>], out: &mut String) {
    let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut widths = vec![0usize; columns];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let total: usize = widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    let rule = format!("{}\n", "-".repeat(total.max(3)));
    out.push_str(&rule);
    if let Some(title) = title {
        out.push_str(&format!("| {title}\n"));
        out.push_str(&rule);
    }
    let line = |row: &[String], out: &mut String| {
        out.push('|');
        for (i, width) in widths.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let pad = width - cell.chars().count();
            out.push_str(&format!(" {cell}{} |", " ".repeat(pad)));
        }
        out.push('\n');
    };
    if !header.is_empty() {
        line(header, out);
        out.push_str(&rule);
    }
    for row in rows {
        line(row, out);
    }
    out.push_str(&rule);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sensitive_members_are_redacted_at_any_depth() {
        let mut v = json!({"SecretKey": "s3cr3t", "Keys": [{"SecretKey": "again", "Name": "n"}], "Token": null});
        redact(&mut v, &["SecretKey", "Token"]);
        assert_eq!(
            v,
            json!({"SecretKey": "** redacted **", "Keys": [{"SecretKey": "** redacted **", "Name": "n"}], "Token": null})
        );
    }

    #[test]
    fn text_prints_one_line_per_object() {
        let v = json!({"TotalCount": 2, "Zones": [{"ZoneId": "z1", "ZoneName": "a.com"}, {"ZoneId": "z2", "ZoneName": "b.com"}]});
        assert_eq!(render(&v, Format::Text), "2\nz1\ta.com\nz2\tb.com\n");
        assert_eq!(render(&json!(["a", "b"]), Format::Text), "a\tb\n");
    }

    #[test]
    fn a_table_has_a_header_and_aligned_rows() {
        let v = json!([{"ZoneId": "z1", "ZoneName": "a.com"}, {"ZoneId": "zone-2", "ZoneName": "b.com"}]);
        assert_eq!(
            render(&v, Format::Table),
            "---------------------\n\
             | ZoneId | ZoneName |\n\
             ---------------------\n\
             | z1     | a.com    |\n\
             | zone-2 | b.com    |\n\
             ---------------------\n"
        );
    }

    #[test]
    fn a_query_selects_after_the_fact() {
        let v = json!({"Zones": [{"ZoneId": "z1"}, {"ZoneId": "z2"}]});
        assert_eq!(query(v.clone(), "Zones[].ZoneId").unwrap(), json!(["z1", "z2"]));
        assert_eq!(query(v, "Zones[").unwrap_err().code, crate::failure::USAGE);
    }
}
