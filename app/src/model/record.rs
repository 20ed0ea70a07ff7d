//! How a document item maps to automerge: a map of scalar fields under
//! `root[collection][item id]`.
//!
//! Writes touch only the fields whose value changed, so two people editing different fields of
//! the same item never conflict; two people setting the same field concurrently leave both
//! values in the document, which [`conflicts`] reports with who set each, and which
//! [`put_field`] resolves as a normal change.

use crate::model::ItemId;
use automerge::{
    ActorId, AutoCommit, AutomergeError, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value,
    transaction::Transactable,
};
use std::collections::BTreeMap;

/// The scalar fields of one item, as read from the document (the winning value of each).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields(pub BTreeMap<String, ScalarValue>);

impl Fields {
    pub fn str(&self, key: &str) -> String {
        match self.0.get(key) {
            Some(ScalarValue::Str(s)) => s.to_string(),
            _ => String::new(),
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.0.get(key)? {
            ScalarValue::Int(i) => Some(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            ScalarValue::F64(f) if f.is_finite() => Some(f.round() as i64),
            _ => None,
        }
    }

    /// An integer clamped into `lo..=hi`, `default` when absent.
    pub fn int_in(&self, key: &str, lo: i64, hi: i64, default: i64) -> i64 {
        self.int(key).map_or(default, |v| v.clamp(lo, hi))
    }

    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.0.get(key)? {
            ScalarValue::F64(f) if f.is_finite() => Some(*f),
            ScalarValue::Int(i) => Some(*i as f64),
            ScalarValue::Uint(u) => Some(*u as f64),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> bool {
        matches!(self.0.get(key), Some(ScalarValue::Boolean(true)))
    }

    /// A reference to another item; empty strings and null mean none.
    pub fn id(&self, key: &str) -> Option<ItemId> {
        let s = self.str(key);
        (!s.is_empty()).then_some(ItemId(s))
    }
}

/// An item type stored in one collection of a document.
pub trait Record: Sized {
    /// The key of the collection map under the document root.
    const COLLECTION: &'static str;

    /// Every field with its value. `Null` stands for "none".
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)>;

    /// Reads an item back, tolerating missing or mistyped fields (another client version may
    /// have written them).
    fn from_fields(fields: &Fields) -> Self;
}

pub fn opt_id(id: &Option<ItemId>) -> ScalarValue {
    match id {
        Some(id) => ScalarValue::Str(id.0.as_str().into()),
        None => ScalarValue::Null,
    }
}

pub fn text(s: &str) -> ScalarValue {
    ScalarValue::Str(s.into())
}

/// The map object at `root[key]`, if there is one.
pub fn root_map(doc: &impl ReadDoc, key: &str) -> Option<ObjId> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Object(ObjType::Map), id) => Some(id),
        _ => None,
    }
}

/// Creates the collection maps a document kind needs. Called once, in the document's first
/// change, so that two peers never create the same collection concurrently (one of the two maps
/// would win and the other's items would vanish).
pub fn init_collections(doc: &mut AutoCommit, collections: &[&str]) -> Result<(), AutomergeError> {
    for name in collections.iter().copied().chain(["authors"]) {
        if root_map(doc, name).is_none() {
            doc.put_object(ROOT, name, ObjType::Map)?;
        }
    }
    Ok(())
}

fn collection(doc: &mut AutoCommit, name: &str) -> Result<ObjId, AutomergeError> {
    match root_map(doc, name) {
        Some(id) => Ok(id),
        None => doc.put_object(ROOT, name, ObjType::Map),
    }
}

fn item_fields(doc: &impl ReadDoc, obj: &ObjId) -> Fields {
    let mut fields = BTreeMap::new();
    for key in doc.keys(obj) {
        if let Ok(Some((Value::Scalar(v), _))) = doc.get(obj, key.as_str()) {
            fields.insert(key, v.into_owned());
        }
    }
    Fields(fields)
}

/// Every item of a collection.
pub fn read_all<R: Record>(doc: &impl ReadDoc) -> BTreeMap<ItemId, R> {
    let Some(coll) = root_map(doc, R::COLLECTION) else {
        return BTreeMap::new();
    };
    doc.keys(&coll)
        .filter_map(|key| match doc.get(&coll, key.as_str()).ok()?? {
            (Value::Object(ObjType::Map), obj) => {
                Some((ItemId(key), R::from_fields(&item_fields(doc, &obj))))
            }
            _ => None,
        })
        .collect()
}

/// Writes an item: creates it if new, and sets only the fields whose value differs.
/// Returns whether anything was written.
pub fn put<R: Record>(doc: &mut AutoCommit, id: &ItemId, item: &R) -> Result<bool, AutomergeError> {
    let coll = collection(doc, R::COLLECTION)?;
    let obj = match doc.get(&coll, id.as_str())? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => doc.put_object(&coll, id.as_str(), ObjType::Map)?,
    };
    let current = item_fields(doc, &obj);
    let mut wrote = false;
    for (key, value) in item.to_fields() {
        let conflicted = doc.get_all(&obj, key)?.len() > 1;
        if conflicted || current.0.get(key) != Some(&value) {
            doc.put(&obj, key, value)?;
            wrote = true;
        }
    }
    Ok(wrote)
}

/// Sets one field of an existing item (resolving a conflict on it, if there was one).
pub fn put_field(
    doc: &mut AutoCommit,
    collection_name: &str,
    id: &ItemId,
    key: &str,
    value: ScalarValue,
) -> Result<(), AutomergeError> {
    let coll = collection(doc, collection_name)?;
    if let Some((Value::Object(ObjType::Map), obj)) = doc.get(&coll, id.as_str())? {
        doc.put(&obj, key, value)?;
    }
    Ok(())
}

/// One field set concurrently to different values.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub collection: &'static str,
    pub item: ItemId,
    pub field: String,
    /// Each value with the automerge actor that set it; the first one is the value shown
    /// until someone chooses.
    pub values: Vec<(ScalarValue, ActorId)>,
}

/// The conflicts of one collection.
pub fn conflicts<R: Record>(doc: &impl ReadDoc) -> Vec<Conflict> {
    let mut out = Vec::new();
    let Some(coll) = root_map(doc, R::COLLECTION) else {
        return out;
    };
    for key in doc.keys(&coll) {
        let Ok(Some((Value::Object(ObjType::Map), obj))) = doc.get(&coll, key.as_str()) else {
            continue;
        };
        for field in doc.keys(&obj) {
            let Ok(all) = doc.get_all(&obj, field.as_str()) else {
                continue;
            };
            if all.len() < 2 {
                continue;
            }
            let mut values: Vec<(ScalarValue, ActorId)> = all
                .into_iter()
                .filter_map(|(v, id)| match (v, id) {
                    (Value::Scalar(v), automerge::ObjId::Id(_, actor, _)) => {
                        Some((v.into_owned(), actor))
                    }
                    _ => None,
                })
                .collect();
            // automerge lists the winner last; show it first.
            values.reverse();
            let distinct = values.iter().any(|(v, _)| *v != values[0].0);
            if distinct {
                out.push(Conflict {
                    collection: R::COLLECTION,
                    item: ItemId(key.clone()),
                    field,
                    values,
                });
            }
        }
    }
    out
}

/// Records who this document's actor is, so conflicts and summaries can name people.
pub fn sign(doc: &mut AutoCommit, name: &str) -> Result<(), AutomergeError> {
    let authors = collection(doc, "authors")?;
    let me = doc.get_actor().to_hex_string();
    let known = matches!(doc.get(&authors, me.as_str())?, Some((Value::Scalar(v), _)) if v.as_str() == Some(name));
    if !known {
        doc.put(&authors, me.as_str(), name)?;
    }
    Ok(())
}

/// The name recorded for an automerge actor, if any.
pub fn author(doc: &impl ReadDoc, actor: &ActorId) -> Option<String> {
    let authors = root_map(doc, "authors")?;
    match doc.get(&authors, actor.to_hex_string().as_str()).ok()?? {
        (Value::Scalar(v), _) => v.as_str().map(str::to_owned),
        _ => None,
    }
}
