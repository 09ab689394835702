//! The last touches to an event's participants, after the detector and the article-level steps
//! (so neither sees them): what the actor list (`data/ner/entities.tsv`) knows of a listed
//! entity, one participant per entity on each side, and the ACLED type that follows from who the
//! sides are.

use super::Extractor;
use crate::{Acled, Category, Event, Participant};
use marsad_text::normalize::key;

/// The sectors of an armed side (event-record.md): two of them fighting is a battle.
const ARMED: [&str; 4] = ["military", "police", "rebels", "militia"];

/// ACLED types (docs/event-record.md) the participants decide between.
const BATTLES: &str = "Battles";
const ARMED_CLASH: &str = "Armed clash";
const VIOLENCE: &str = "Violence against civilians";
const ATTACK: &str = "Attack";

impl Extractor {
    /// Completes the participants of `e` from the actor list, removes repeats and sets its ACLED
    /// type by who its sides are.
    pub(super) fn finish_actors(&self, e: &mut Event) {
        for p in e.actors.iter_mut().chain(e.recipients.iter_mut()) {
            from_list(p);
        }
        self.dedup(&mut e.actors);
        self.dedup(&mut e.recipients);
        if e.event_type == Category::Assault {
            let clash = marsad_text::analyze(&e.trigger.text)
                .tokens
                .iter()
                .any(|t| {
                    let w = &self.words.clash;
                    w.contains(&key(&t.stem)) || w.contains(&key(&t.norm))
                });
            e.acled = assault_acled(e.acled.take(), clash, &e.actors, &e.recipients);
        }
    }

    /// Keeps one participant per entity (or per wording, for an unlisted one) in `list`: the
    /// first that names it, not a noun that refers back to it (داعش، داعش، التنظيم → داعش). The
    /// other side may hold it too (داعش executing its own leaders).
    fn dedup(&self, list: &mut Vec<Participant>) {
        let mut kept: Vec<Participant> = Vec::with_capacity(list.len());
        for p in list.drain(..) {
            let id = ident(&p);
            match kept.iter_mut().find(|q| ident(q) == id) {
                Some(q) => {
                    if self.refers_back(q) && !self.refers_back(&p) {
                        *q = p;
                    }
                }
                None => kept.push(p),
            }
        }
        *list = kept;
    }

    /// Whether the words of `p` are an organization noun that refers back to a name (التنظيم،
    /// الحركة), not the name itself.
    fn refers_back(&self, p: &Participant) -> bool {
        let k = key(&p.text);
        !k.contains(' ')
            && self
                .lex
                .cues
                .org_nouns
                .has(k.strip_prefix("ال").unwrap_or(&k))
    }
}

/// What a participant is, for telling repeats: its entity, else its words as a key.
fn ident(p: &Participant) -> String {
    p.entity_id.clone().unwrap_or_else(|| key(&p.text))
}

/// Gives a listed entity the sector and home country the list gives it, where the text said
/// neither (a nisba in the text — الشرطة المصرية — or a role noun heading it — قيادات داعش — wins).
fn from_list(p: &mut Participant) {
    let Some(l) = p.entity_id.as_deref().and_then(marsad_ner::listed) else {
        return;
    };
    if p.role.is_none() {
        p.role.clone_from(&l.sector);
    }
    if p.country.is_none() {
        p.country.clone_from(&l.country);
    }
}

/// Whether `p` is an armed side.
fn armed(p: &Participant) -> bool {
    p.role.as_deref().is_some_and(|r| ARMED.contains(&r))
}

/// The ACLED type of an assault by who its sides are. Remote violence (air strikes, shelling,
/// bombs), abductions, sexual violence, destruction and force against protesters keep the type
/// of their mode, as ACLED codes them whoever the target. Any other attack is a battle (armed
/// clash) when two armed sides meet — an armed recipient, two armed actors with no recipient, or
/// a word of fighting (`clash`: اشتباكات) with no civilian recipient — and violence against
/// civilians when the recipients are civilians or unnamed.
pub(crate) fn assault_acled(
    acled: Option<Acled>,
    clash: bool,
    actors: &[Participant],
    recipients: &[Participant],
) -> Option<Acled> {
    let decided = acled.as_ref().is_some_and(|a| {
        !matches!(
            (a.event_type.as_str(), a.sub_event_type.as_str()),
            (VIOLENCE, ATTACK) | (BATTLES, ARMED_CLASH)
        )
    });
    if decided {
        return acled;
    }
    let armed_actors = actors
        .iter()
        .filter(|p| armed(p))
        .map(ident)
        .collect::<std::collections::BTreeSet<_>>();
    let battle = recipients.iter().any(armed)
        || (recipients.is_empty() && (armed_actors.len() >= 2 || clash));
    let (t, s) = if battle {
        (BATTLES, ARMED_CLASH)
    } else {
        (VIOLENCE, ATTACK)
    };
    Some(Acled {
        event_type: t.to_string(),
        sub_event_type: s.to_string(),
    })
}
