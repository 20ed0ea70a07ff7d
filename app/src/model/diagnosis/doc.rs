//! The diagnosis in its automerge document: `root.actors[id]`, `root.ties[id]`, `root.issues[id]`,
//! `root.positions[id]`, `root.resources[id]`, `root.swot[id]`, each a map of scalar fields
//! (see [`crate::model::record`]).

use super::types::*;
use crate::model::{
    ItemId,
    record::{self, Conflict, Fields, Record, opt_id, text},
};
use automerge::{AutoCommit, AutomergeError, ReadDoc, ScalarValue};

/// The document kind, as the registry and the document's `kind` field name it.
pub const KIND: &str = "diagnosis";

pub const COLLECTIONS: &[&str] = &["actors", "ties", "issues", "positions", "resources", "swot"];

fn small(v: u8) -> ScalarValue {
    ScalarValue::Int(i64::from(v))
}

fn scale(fields: &Fields, key: &str) -> u8 {
    fields.int_in(key, 1, 5, 3) as u8
}

impl Record for Actor {
    const COLLECTION: &'static str = "actors";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        let (x, y) = match self.pinned {
            Some((x, y)) => (ScalarValue::F64(x), ScalarValue::F64(y)),
            None => (ScalarValue::Null, ScalarValue::Null),
        };
        vec![
            ("name", text(&self.name)),
            ("category", text(self.category.as_str())),
            ("organisation", text(&self.organisation)),
            ("level", text(self.level.as_str())),
            ("influence", small(self.influence)),
            ("interest", small(self.interest)),
            ("notes", text(&self.notes)),
            ("location", text(&self.location)),
            ("x", x),
            ("y", y),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        Actor {
            name: f.str("name"),
            category: ActorCategory::parse(&f.str("category")).unwrap_or(ActorCategory::Other),
            organisation: f.str("organisation"),
            level: Level::parse(&f.str("level")).unwrap_or(Level::Commune),
            influence: scale(f, "influence"),
            interest: scale(f, "interest"),
            notes: f.str("notes"),
            location: f.str("location"),
            pinned: f.f64("x").zip(f.f64("y")),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Tie {
    const COLLECTION: &'static str = "ties";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("from", text(self.from.as_str())),
            ("to", text(self.to.as_str())),
            ("kind", text(self.kind.as_str())),
            ("directed", ScalarValue::Boolean(self.directed)),
            ("strength", small(self.strength)),
            ("since", text(&self.since)),
            ("recorded_by", text(&self.recorded_by)),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        Tie {
            from: ItemId(f.str("from")),
            to: ItemId(f.str("to")),
            kind: TieKind::parse(&f.str("kind")).unwrap_or(TieKind::Information),
            directed: f.bool("directed"),
            strength: scale(f, "strength"),
            since: f.str("since"),
            recorded_by: f.str("recorded_by"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Issue {
    const COLLECTION: &'static str = "issues";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("statement", text(&self.statement)),
            ("role", text(self.role.as_str())),
            ("parent", opt_id(&self.parent)),
            ("evidence", text(&self.evidence)),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        Issue {
            statement: f.str("statement"),
            role: IssueRole::parse(&f.str("role")).unwrap_or(IssueRole::Cause),
            parent: f.id("parent"),
            evidence: f.str("evidence"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Position {
    const COLLECTION: &'static str = "positions";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("actor", text(self.actor.as_str())),
            ("issue", text(self.issue.as_str())),
            ("stance", ScalarValue::Int(i64::from(self.stance))),
            ("rationale", text(&self.rationale)),
            ("date", text(&self.date)),
            ("source", text(&self.source)),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        Position {
            actor: ItemId(f.str("actor")),
            issue: ItemId(f.str("issue")),
            stance: f.int_in("stance", -2, 2, 0) as i8,
            rationale: f.str("rationale"),
            date: f.str("date"),
            source: f.str("source"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Resource {
    const COLLECTION: &'static str = "resources";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("name", text(&self.name)),
            ("kind", text(self.kind.as_str())),
            ("notes", text(&self.notes)),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        Resource {
            name: f.str("name"),
            kind: ResourceKind::parse(&f.str("kind")).unwrap_or(ResourceKind::Natural),
            notes: f.str("notes"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for SwotItem {
    const COLLECTION: &'static str = "swot";

    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("quadrant", text(self.quadrant.as_str())),
            ("text", text(&self.text)),
            ("issue", opt_id(&self.issue)),
            ("resource", opt_id(&self.resource)),
            ("deleted", ScalarValue::Boolean(self.deleted)),
        ]
    }

    fn from_fields(f: &Fields) -> Self {
        SwotItem {
            quadrant: SwotQuadrant::parse(&f.str("quadrant")).unwrap_or(SwotQuadrant::Strength),
            text: f.str("text"),
            issue: f.id("issue"),
            resource: f.id("resource"),
            deleted: f.bool("deleted"),
        }
    }
}

/// Reads the whole diagnosis.
pub fn read(doc: &impl ReadDoc) -> Diagnosis {
    let title = match doc.get(automerge::ROOT, "title") {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Text), id))) => {
            doc.text(&id).unwrap_or_default()
        }
        Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str().unwrap_or_default().to_owned(),
        _ => String::new(),
    };
    Diagnosis {
        title,
        actors: record::read_all(doc),
        ties: record::read_all(doc),
        issues: record::read_all(doc),
        positions: record::read_all(doc),
        resources: record::read_all(doc),
        swot: record::read_all(doc),
    }
}

/// Every same-field conflict of the diagnosis.
pub fn conflicts(doc: &impl ReadDoc) -> Vec<Conflict> {
    let mut all = record::conflicts::<Actor>(doc);
    all.extend(record::conflicts::<Tie>(doc));
    all.extend(record::conflicts::<Issue>(doc));
    all.extend(record::conflicts::<Position>(doc));
    all.extend(record::conflicts::<Resource>(doc));
    all.extend(record::conflicts::<SwotItem>(doc));
    all
}

/// Writes a whole diagnosis into a document (its collections must exist): used for the demo
/// and for tests. Only differing fields are written.
pub fn write(doc: &mut AutoCommit, d: &Diagnosis) -> Result<(), AutomergeError> {
    record::init_collections(doc, COLLECTIONS)?;
    for (id, v) in &d.actors {
        record::put(doc, id, v)?;
    }
    for (id, v) in &d.ties {
        record::put(doc, id, v)?;
    }
    for (id, v) in &d.issues {
        record::put(doc, id, v)?;
    }
    for (id, v) in &d.positions {
        record::put(doc, id, v)?;
    }
    for (id, v) in &d.resources {
        record::put(doc, id, v)?;
    }
    for (id, v) in &d.swot {
        record::put(doc, id, v)?;
    }
    Ok(())
}

/// Marks an item deleted (kept in the document so that a concurrent edit is not lost).
pub fn delete(doc: &mut AutoCommit, collection: &str, id: &ItemId) -> Result<(), AutomergeError> {
    record::put_field(doc, collection, id, "deleted", ScalarValue::Boolean(true))
}

/// Whether a document says it is a diagnosis.
pub fn is_diagnosis(doc: &impl ReadDoc) -> bool {
    match doc.get(automerge::ROOT, "kind") {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Text), id))) => {
            doc.text(&id).is_ok_and(|k| k == KIND)
        }
        Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str() == Some(KIND),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::{author, sign};
    use automerge::{ActorId, transaction::Transactable};

    fn actor(name: &str) -> Actor {
        Actor {
            name: name.into(),
            category: ActorCategory::CivilSociety,
            organisation: "Association".into(),
            level: Level::Commune,
            influence: 4,
            interest: 2,
            notes: "ملاحظة".into(),
            location: "Bni Drar".into(),
            pinned: Some((12.5, 40.0)),
            deleted: false,
        }
    }

    fn tie(from: &str, to: &str) -> Tie {
        Tie {
            from: from.into(),
            to: to.into(),
            kind: TieKind::Alliance,
            directed: false,
            strength: 3,
            since: "2019".into(),
            recorded_by: "Salma".into(),
            deleted: false,
        }
    }

    fn sample() -> Diagnosis {
        let mut d = Diagnosis {
            title: String::new(),
            ..Diagnosis::default()
        };
        d.actors.insert("a".into(), actor("Commune"));
        d.actors.insert("b".into(), actor("جمعية الأمل"));
        d.ties.insert("t".into(), tie("a", "b"));
        d.issues.insert(
            "core".into(),
            Issue {
                statement: "Exode des jeunes".into(),
                role: IssueRole::Core,
                parent: None,
                evidence: "Enquête 2026".into(),
                deleted: false,
            },
        );
        d.issues.insert(
            "cause".into(),
            Issue {
                statement: "Peu d'emplois".into(),
                role: IssueRole::Cause,
                parent: Some("core".into()),
                evidence: String::new(),
                deleted: false,
            },
        );
        d.positions.insert(
            "p".into(),
            Position {
                actor: "a".into(),
                issue: "core".into(),
                stance: -2,
                rationale: "Priorité".into(),
                date: "2026-10-14".into(),
                source: "Atelier".into(),
                deleted: false,
            },
        );
        d.resources.insert(
            "r".into(),
            Resource {
                name: "Nappe".into(),
                kind: ResourceKind::Natural,
                notes: String::new(),
                deleted: false,
            },
        );
        d.swot.insert(
            "s".into(),
            SwotItem {
                quadrant: SwotQuadrant::Threat,
                text: "Sécheresse".into(),
                issue: Some("core".into()),
                resource: Some("r".into()),
                deleted: false,
            },
        );
        d
    }

    fn peer(actor: u8, base: &mut AutoCommit) -> AutoCommit {
        let mut doc = base.fork();
        doc.set_actor(ActorId::from(vec![actor; 16]));
        doc
    }

    #[test]
    fn round_trip() {
        let mut doc = AutoCommit::new();
        let d = sample();
        write(&mut doc, &d).unwrap();
        doc.commit();
        let back = read(&doc);
        assert_eq!(back, d);
        // Saved and loaded, still the same.
        let loaded = AutoCommit::load(&doc.save()).unwrap();
        assert_eq!(read(&loaded), d);
        // Writing the same thing again changes nothing.
        let heads = doc.get_heads();
        write(&mut doc, &d).unwrap();
        doc.commit();
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn tolerant_reading() {
        let mut doc = AutoCommit::new();
        record::init_collections(&mut doc, COLLECTIONS).unwrap();
        let actors = record::root_map(&doc, "actors").unwrap();
        let a = doc
            .put_object(&actors, "x", automerge::ObjType::Map)
            .unwrap();
        doc.put(&a, "influence", 99).unwrap();
        doc.put(&a, "category", "astronaut").unwrap();
        doc.put(&a, "name", 7).unwrap();
        let d = read(&doc);
        let x = &d.actors[&ItemId::from("x")];
        assert_eq!(x.influence, 5);
        assert_eq!(x.category, ActorCategory::Other);
        assert_eq!(x.name, "");
    }

    /// Two coaches edit offline — adds, edits of different fields, a delete, and the same field
    /// — then merge: every edit is kept, and the same-field edit is reported as a conflict
    /// naming both people.
    #[test]
    fn offline_edits_merge_and_conflicts_are_reported() {
        let mut base = AutoCommit::new();
        write(&mut base, &sample()).unwrap();
        base.commit();
        let mut salma = peer(1, &mut base);
        let mut youssef = peer(2, &mut base);
        sign(&mut salma, "Salma").unwrap();
        sign(&mut youssef, "Youssef").unwrap();

        let mut s = read(&salma);
        s.actors.insert("c".into(), actor("Caïdat"));
        s.ties.insert("t2".into(), tie("c", "a"));
        s.actors.get_mut(&ItemId::from("a")).unwrap().influence = 5;
        s.actors.get_mut(&ItemId::from("b")).unwrap().name = "Association Al Amal".into();
        write(&mut salma, &s).unwrap();
        salma.commit();

        let mut y = read(&youssef);
        y.actors.insert("d".into(), actor("ONEE"));
        y.actors.get_mut(&ItemId::from("a")).unwrap().interest = 5;
        y.actors.get_mut(&ItemId::from("b")).unwrap().name = "جمعية الأمل للتنمية".into();
        write(&mut youssef, &y).unwrap();
        delete(&mut youssef, "ties", &"t".into()).unwrap();
        youssef.commit();

        salma.merge(&mut youssef).unwrap();
        youssef.merge(&mut salma).unwrap();
        let (ds, dy) = (read(&salma), read(&youssef));
        assert_eq!(ds, dy);
        assert!(ds.actors.contains_key(&ItemId::from("c")));
        assert!(ds.actors.contains_key(&ItemId::from("d")));
        assert!(ds.ties[&ItemId::from("t")].deleted);
        assert!(!ds.ties[&ItemId::from("t2")].deleted);
        let a = &ds.actors[&ItemId::from("a")];
        assert_eq!((a.influence, a.interest), (5, 5));

        let found = conflicts(&salma);
        assert_eq!(found.len(), 1, "{found:?}");
        let c = &found[0];
        assert_eq!(
            (c.collection, c.item.as_str(), c.field.as_str()),
            ("actors", "b", "name")
        );
        let mut seen: Vec<(String, String)> = c
            .values
            .iter()
            .map(|(v, who)| (v.as_str().unwrap().to_owned(), author(&salma, who).unwrap()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("Association Al Amal".to_owned(), "Salma".to_owned()),
                ("جمعية الأمل للتنمية".to_owned(), "Youssef".to_owned()),
            ]
        );
        // The value shown is the winner automerge picked.
        assert_eq!(
            c.values[0].0.as_str(),
            Some(ds.actors[&ItemId::from("b")].name.as_str())
        );

        // Choosing one is a normal change, and the conflict is gone on both sides.
        record::put_field(
            &mut youssef,
            "actors",
            &"b".into(),
            "name",
            text("Association Al Amal"),
        )
        .unwrap();
        youssef.commit();
        salma.merge(&mut youssef).unwrap();
        assert!(conflicts(&salma).is_empty());
        assert_eq!(
            read(&salma).actors[&ItemId::from("b")].name,
            "Association Al Amal"
        );
    }

    #[test]
    fn an_edit_concurrent_with_a_delete_is_kept() {
        let mut base = AutoCommit::new();
        write(&mut base, &sample()).unwrap();
        base.commit();
        let mut one = peer(1, &mut base);
        let mut two = peer(2, &mut base);
        delete(&mut one, "actors", &"a".into()).unwrap();
        one.commit();
        let mut d = read(&two);
        d.actors.get_mut(&ItemId::from("a")).unwrap().notes = "important".into();
        write(&mut two, &d).unwrap();
        two.commit();
        one.merge(&mut two).unwrap();
        let a = &read(&one).actors[&ItemId::from("a")];
        assert!(a.deleted);
        assert_eq!(a.notes, "important");
    }
}
