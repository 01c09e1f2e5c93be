// An id-keyed table that remembers creation order: listings walk it oldest first (the stable
// order every Describe answer uses), lookups by id are hashed, and removals are logarithmic, so a
// zone with many thousands of rows pages through in linear time.

use std::collections::{BTreeMap, HashMap};

/// Rows of `T` by id, iterated in insertion order.
#[derive(Debug)]
pub(crate) struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            index: HashMap::new(),
            next: 0,
        }
    }
}

impl<T> Table<T> {
    /// Adds a row under `id`; refuses (returning the row) when the id is taken.
    pub(crate) fn insert(&mut self, id: String, row: T) -> Result<(), T> {
        if self.index.contains_key(&id) {
            return Err(row);
        }
        let position = self.next;
        self.next += 1;
        self.index.insert(id, position);
        self.rows.insert(position, row);
        Ok(())
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|position| self.rows.get(position))
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let position = self.index.get(id)?;
        self.rows.get_mut(position)
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        let position = self.index.remove(id)?;
        self.rows.remove(&position)
    }

    /// Rows oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.rows.values()
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_across_removals() {
        let mut table = Table::default();
        for id in ["c", "a", "b", "d"] {
            assert!(table.insert(id.to_owned(), id.to_uppercase()).is_ok());
        }
        assert_eq!(
            table.insert("a".to_owned(), "again".to_owned()),
            Err("again".to_owned())
        );
        assert_eq!(table.remove("a").as_deref(), Some("A"));
        assert!(table.insert("a".to_owned(), "A2".to_owned()).is_ok());
        let order: Vec<&str> = table.iter().map(String::as_str).collect();
        assert_eq!(order, ["C", "B", "D", "A2"]);
        assert_eq!(table.len(), 4);
        assert!(table.contains("d") && !table.contains("e"));
        if let Some(row) = table.get_mut("b") {
            row.push('!');
        }
        assert_eq!(table.get("b").map(String::as_str), Some("B!"));
    }
}
