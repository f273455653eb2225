//! Storage of the index: rows of varying length in one allocation, and
//! string tables that are hash maps while an index is built and sorted
//! slices when it is read from a compiled corpus.

use super::*;

/// Rows of varying length in one allocation (the index holds tens of
/// thousands of short lists; one vector each would dominate its build).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Rows<T> {
    pub(super) items: Vec<T>,
    /// End of each row in `items`.
    pub(super) ends: Vec<u32>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ends: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    /// Closes the current row: what was pushed to `items` since the last.
    pub(super) fn end_row(&mut self) {
        self.ends.push(self.items.len() as u32);
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`, empty if there is none.
    pub(super) fn row(&self, i: usize) -> &[T] {
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).map_or(usize::MAX, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        self.items.get(start..end).unwrap_or_default()
    }
}

/// A corpus string: borrowed from a compiled corpus that lives as long as
/// the process (no allocation at start-up), or owned.
pub(super) type Text = Cow<'static, str>;

/// A word of the corpus, with what the fuzzy look-ups need.
#[derive(Debug)]
pub(super) struct VocabWord {
    pub(super) word: Text,
    pub(super) stem: Text,
    pub(super) sound: Text,
}

/// Strings → numbers: a hash map while an index is built, or, read from
/// a compiled corpus, the strings with their sorted order, looked up by
/// binary search: nothing to construct at start-up.
#[derive(Debug)]
pub(super) enum Table {
    Map(HashMap<Text, u32>),
    /// `keys[order[0]] < keys[order[1]] < …`; a key's number is its
    /// position in `keys`. Without `order`, `keys` are sorted themselves.
    Sorted {
        keys: Vec<Text>,
        order: Option<Vec<u32>>,
    },
}

impl Default for Table {
    fn default() -> Self {
        Table::Map(HashMap::default())
    }
}

impl Table {
    pub(super) fn get(&self, key: &str) -> Option<u32> {
        match self {
            Table::Map(m) => m.get(key).copied(),
            Table::Sorted { keys, order: None } => keys
                .binary_search_by(|k| k.as_ref().cmp(key))
                .ok()
                .map(|i| i as u32),
            Table::Sorted {
                keys,
                order: Some(order),
            } => {
                let at = |i: &u32| keys.get(*i as usize).map_or("", |k| k.as_ref());
                let i = order.binary_search_by(|i| at(i).cmp(key)).ok()?;
                order.get(i).copied()
            }
        }
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Adds a key while an index is built (a table read from a compiled
    /// corpus is never added to).
    pub(super) fn insert(&mut self, key: String, n: u32) {
        if let Table::Map(m) = self {
            m.insert(Cow::Owned(key), n);
        }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Table::Map(m) => m.len(),
            Table::Sorted { keys, .. } => keys.len(),
        }
    }

    /// The keys by number (for a map, numbers are taken as positions).
    pub(super) fn by_number(&self) -> Vec<&str> {
        match self {
            Table::Map(m) => {
                let mut keys = vec![""; m.len()];
                for (k, &n) in m {
                    if let Some(slot) = keys.get_mut(n as usize) {
                        *slot = k;
                    }
                }
                keys
            }
            Table::Sorted { keys, .. } => keys.iter().map(|k| k.as_ref()).collect(),
        }
    }

    /// Read from a compiled corpus: `keys` by number, `order` the numbers
    /// sorted by key (or none when `keys` are sorted), checked.
    pub(super) fn sorted(keys: Vec<Text>, order: Option<Vec<u32>>) -> Result<Self, IndexDataError> {
        let key = |i: usize| keys.get(i).map(|k| k.as_ref());
        let sorted = match &order {
            None => keys.windows(2).all(|w| w[0] < w[1]),
            Some(o) => {
                o.len() == keys.len()
                    && o.iter().all(|&i| (i as usize) < keys.len())
                    && o.windows(2)
                        .all(|w| key(w[0] as usize) < key(w[1] as usize))
            }
        };
        match sorted {
            true => Ok(Table::Sorted { keys, order }),
            false => Err(IndexDataError("order")),
        }
    }
}

/// `keys`' numbers sorted by key: the order a compiled corpus stores.
pub(super) fn order_of(keys: &[&str]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_by_key(|&i| keys.get(i as usize).copied().unwrap_or(""));
    order
}
