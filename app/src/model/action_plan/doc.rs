//! The action plan in its automerge document: `root.groups[id]`, `root.members[id]`,
//! `root.orientations[id]`, `root.actions[id]`, `root.partners[id]`, `root.links[id]`,
//! `root.indicators[id]`, `root.targets[id]`, each a map of scalar fields (see
//! [`crate::model::record`]), and `root.diagnosis`, the id of the diagnosis it draws on.

use super::types::*;
use crate::model::{
    ItemId,
    record::{self, Conflict, Fields, Record, opt_id, text},
};
use automerge::{
    AutoCommit, AutomergeError, ObjType, ROOT, ReadDoc, ScalarValue, Value,
    transaction::Transactable,
};

pub const KIND: &str = "action_plan";

pub const COLLECTIONS: &[&str] = &[
    "groups",
    "members",
    "orientations",
    "actions",
    "partners",
    "links",
    "indicators",
    "targets",
];

fn money(v: f64) -> ScalarValue {
    ScalarValue::F64(if v.is_finite() { v } else { 0.0 })
}

fn opt_f64(v: Option<f64>) -> ScalarValue {
    match v {
        Some(v) if v.is_finite() => ScalarValue::F64(v),
        _ => ScalarValue::Null,
    }
}

fn flag(b: bool) -> ScalarValue {
    ScalarValue::Boolean(b)
}

impl Record for WorkingGroup {
    const COLLECTION: &'static str = "groups";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("theme", text(&self.theme)),
            ("coach", text(&self.coach)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        WorkingGroup {
            theme: f.str("theme"),
            coach: f.str("coach"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for GroupMember {
    const COLLECTION: &'static str = "members";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("group", text(self.group.as_str())),
            ("actor", text(self.actor.as_str())),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        GroupMember {
            group: ItemId(f.str("group")),
            actor: ItemId(f.str("actor")),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Orientation {
    const COLLECTION: &'static str = "orientations";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("title", text(&self.title)),
            ("group", opt_id(&self.group)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        Orientation {
            title: f.str("title"),
            group: f.id("group"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Action {
    const COLLECTION: &'static str = "actions";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("orientation", opt_id(&self.orientation)),
            ("title", text(&self.title)),
            ("lead", opt_id(&self.lead)),
            ("start", text(&self.start)),
            ("due", text(&self.due)),
            ("budget", money(self.budget)),
            ("committed", money(self.committed)),
            ("status", text(self.status.as_str())),
            (
                "progress",
                ScalarValue::Int(i64::from(self.progress.min(100))),
            ),
            ("weight", money(self.weight)),
            ("risks", text(&self.risks)),
            ("assumptions", text(&self.assumptions)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        Action {
            orientation: f.id("orientation"),
            title: f.str("title"),
            lead: f.id("lead"),
            start: f.str("start"),
            due: f.str("due"),
            budget: f.f64("budget").unwrap_or(0.0).max(0.0),
            committed: f.f64("committed").unwrap_or(0.0).max(0.0),
            status: ActionStatus::parse(&f.str("status")).unwrap_or(ActionStatus::Planned),
            progress: f.int_in("progress", 0, 100, 0) as u8,
            weight: f.f64("weight").unwrap_or(1.0).max(0.0),
            risks: f.str("risks"),
            assumptions: f.str("assumptions"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Partner {
    const COLLECTION: &'static str = "partners";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("action", text(self.action.as_str())),
            ("actor", text(self.actor.as_str())),
            ("role", text(&self.role)),
            ("contribution", text(&self.contribution)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        Partner {
            action: ItemId(f.str("action")),
            actor: ItemId(f.str("actor")),
            role: f.str("role"),
            contribution: f.str("contribution"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for IssueLink {
    const COLLECTION: &'static str = "links";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("action", text(self.action.as_str())),
            ("issue", text(self.issue.as_str())),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        IssueLink {
            action: ItemId(f.str("action")),
            issue: ItemId(f.str("issue")),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Indicator {
    const COLLECTION: &'static str = "indicators";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("action", opt_id(&self.action)),
            ("orientation", opt_id(&self.orientation)),
            ("name", text(&self.name)),
            ("unit", text(&self.unit)),
            ("baseline", opt_f64(self.baseline)),
            ("baseline_date", text(&self.baseline_date)),
            ("current", opt_f64(self.current)),
            ("current_date", text(&self.current_date)),
            ("verification", text(&self.verification)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        Indicator {
            action: f.id("action"),
            orientation: f.id("orientation"),
            name: f.str("name"),
            unit: f.str("unit"),
            baseline: f.f64("baseline"),
            baseline_date: f.str("baseline_date"),
            current: f.f64("current"),
            current_date: f.str("current_date"),
            verification: f.str("verification"),
            deleted: f.bool("deleted"),
        }
    }
}

impl Record for Target {
    const COLLECTION: &'static str = "targets";
    fn to_fields(&self) -> Vec<(&'static str, ScalarValue)> {
        vec![
            ("indicator", text(self.indicator.as_str())),
            ("period", text(&self.period)),
            ("value", money(self.value)),
            ("deleted", flag(self.deleted)),
        ]
    }
    fn from_fields(f: &Fields) -> Self {
        Target {
            indicator: ItemId(f.str("indicator")),
            period: f.str("period"),
            value: f.f64("value").unwrap_or(0.0),
            deleted: f.bool("deleted"),
        }
    }
}

fn root_string(doc: &impl ReadDoc, key: &str) -> String {
    match doc.get(ROOT, key) {
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).unwrap_or_default(),
        Ok(Some((Value::Scalar(s), _))) => s.as_str().unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

pub fn read(doc: &impl ReadDoc) -> ActionPlan {
    ActionPlan {
        title: root_string(doc, "title"),
        diagnosis: root_string(doc, "diagnosis"),
        groups: record::read_all(doc),
        members: record::read_all(doc),
        orientations: record::read_all(doc),
        actions: record::read_all(doc),
        partners: record::read_all(doc),
        links: record::read_all(doc),
        indicators: record::read_all(doc),
        targets: record::read_all(doc),
    }
}

pub fn conflicts(doc: &impl ReadDoc) -> Vec<Conflict> {
    let mut all = record::conflicts::<WorkingGroup>(doc);
    all.extend(record::conflicts::<GroupMember>(doc));
    all.extend(record::conflicts::<Orientation>(doc));
    all.extend(record::conflicts::<Action>(doc));
    all.extend(record::conflicts::<Partner>(doc));
    all.extend(record::conflicts::<IssueLink>(doc));
    all.extend(record::conflicts::<Indicator>(doc));
    all.extend(record::conflicts::<Target>(doc));
    all
}

/// Writes a whole plan (collections created if missing; only differing fields written).
pub fn write(doc: &mut AutoCommit, plan: &ActionPlan) -> Result<(), AutomergeError> {
    record::init_collections(doc, COLLECTIONS)?;
    if root_string(doc, "diagnosis") != plan.diagnosis {
        doc.put(ROOT, "diagnosis", plan.diagnosis.as_str())?;
    }
    macro_rules! put_all {
        ($($field:ident),+) => { $(for (id, v) in &plan.$field { record::put(doc, id, v)?; })+ };
    }
    put_all!(
        groups,
        members,
        orientations,
        actions,
        partners,
        links,
        indicators,
        targets
    );
    Ok(())
}

pub fn delete(doc: &mut AutoCommit, collection: &str, id: &ItemId) -> Result<(), AutomergeError> {
    record::put_field(doc, collection, id, "deleted", ScalarValue::Boolean(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ActionPlan {
        let mut p = ActionPlan {
            diagnosis: "2VzPLXwa4R41PB944FYJS46nvFdj".into(),
            ..ActionPlan::default()
        };
        p.groups.insert(
            "g".into(),
            WorkingGroup {
                theme: "Eau".into(),
                coach: "Salma".into(),
                deleted: false,
            },
        );
        p.members.insert(
            "m".into(),
            GroupMember {
                group: "g".into(),
                actor: "auea".into(),
                deleted: false,
            },
        );
        p.orientations.insert(
            "o".into(),
            Orientation {
                title: "Gérer la nappe".into(),
                group: Some("g".into()),
                deleted: false,
            },
        );
        p.actions.insert(
            "a".into(),
            Action {
                orientation: Some("o".into()),
                title: "Compteurs sur les forages".into(),
                lead: Some("auea".into()),
                start: "2026-02-01".into(),
                due: "2026-09-30".into(),
                budget: 450_000.0,
                committed: 120_000.5,
                status: ActionStatus::InProgress,
                progress: 35,
                weight: 2.0,
                risks: "Refus des exploitants".into(),
                assumptions: "Appui ABHM".into(),
                deleted: false,
            },
        );
        p.partners.insert(
            "p".into(),
            Partner {
                action: "a".into(),
                actor: "abhm".into(),
                role: "financeur".into(),
                contribution: "200 000 MAD".into(),
                deleted: false,
            },
        );
        p.links.insert(
            "l".into(),
            IssueLink {
                action: "a".into(),
                issue: "iss-water".into(),
                deleted: false,
            },
        );
        p.indicators.insert(
            "i".into(),
            Indicator {
                action: Some("a".into()),
                orientation: None,
                name: "Forages équipés".into(),
                unit: "%".into(),
                baseline: Some(0.0),
                baseline_date: "2026-01-15".into(),
                current: Some(22.0),
                current_date: "2026-10-01".into(),
                verification: "Relevés AUEA".into(),
                deleted: false,
            },
        );
        p.targets.insert(
            "t".into(),
            Target {
                indicator: "i".into(),
                period: "2026".into(),
                value: 60.0,
                deleted: false,
            },
        );
        p
    }

    #[test]
    fn round_trip() {
        let mut doc = AutoCommit::new();
        let plan = sample();
        write(&mut doc, &plan).unwrap();
        doc.commit();
        let back = read(&AutoCommit::load(&doc.save()).unwrap());
        assert_eq!(
            ActionPlan {
                title: String::new(),
                ..back
            },
            plan
        );
        let heads = doc.get_heads();
        write(&mut doc, &plan).unwrap();
        doc.commit();
        assert_eq!(
            doc.get_heads(),
            heads,
            "rewriting the same plan changes nothing"
        );
    }
}
