//! Who acts. Every write method of `Store` takes an `Actor` (an operator checked once, with
//! their role) or a `Manager` (the proof that a manager authorises the act: the operator,
//! if a manager, or a manager who approved with their PIN). Only the store makes them
//! (`Store::actor`, `Store::manager`, `Store::own_manager`), so the CLI and the app cannot
//! write without having gone through the same checks.
//!
//! A till with no staff at all (set up from the command line for scripts) accepts any name,
//! and anyone on it holds a manager's rights; once one person exists, an actor is an active
//! staff member. An `Actor` is checked when it is made: make one per operation, not one per
//! session (a person disabled since would still hold it).

use crate::error::{Refusal, Result, StoreError};
use crate::staff::{has_staff, staff_row, Approval, Role};
use crate::Store;

/// An operator the store has checked: active staff (with their role), or any name on a till
/// without staff (no role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
    role: Option<Role>,
}

impl Actor {
    /// The name as the caller gave it: what records and journal events carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Their role; `None` on a till without staff.
    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// Whether they may do a manager's acts themselves (anyone, on a till without staff).
    pub fn is_manager(&self) -> bool {
        self.role != Some(Role::Cashier)
    }

    /// Whether this is the person named (names compare as the staff list does).
    pub fn is(&self, name: &str) -> bool {
        relais_core::catalog::normalize(&self.name) == relais_core::catalog::normalize(name)
    }
}

/// The proof that a manager authorises an act: the actor is a manager (or the till has no
/// staff), or `approver` is the manager who approved it with their PIN (an override).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    actor: Actor,
    approver: Option<String>,
}

impl Manager {
    /// Who acts (the cashier, when a manager approved).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The acting operator's name.
    pub fn name(&self) -> &str {
        self.actor.name()
    }

    /// The manager who approved with their PIN, when the operator is not one.
    pub fn approver(&self) -> Option<&str> {
        self.approver.as_deref()
    }
}

impl Store {
    /// The operator of an act: any active staff member, or any name on a till without staff.
    /// An unknown or disabled name is refused here, once.
    pub fn actor(&self, name: &str) -> Result<Actor> {
        if !has_staff(&self.conn)? {
            return Ok(Actor {
                name: name.to_string(),
                role: None,
            });
        }
        match staff_row(&self.conn, name)? {
            Some(row) if row.view.active => Ok(Actor {
                name: name.to_string(),
                role: Some(row.view.role),
            }),
            _ => Err(StoreError::Forbidden(Refusal::NotStaff(name.to_string()))),
        }
    }

    /// A manager's authority over an act of `actor`: theirs, if a manager, else that of the
    /// approving manager, authenticated by PIN (a failed PIN counts against that manager).
    pub fn manager(&mut self, actor: &Actor, approval: Option<&Approval>) -> Result<Manager> {
        if actor.is_manager() {
            return Ok(Manager {
                actor: actor.clone(),
                approver: None,
            });
        }
        let Some(approval) = approval else {
            return Err(StoreError::Forbidden(Refusal::ManagerNeeded(
                actor.name.clone(),
            )));
        };
        let manager = self.authenticate(&approval.manager, &approval.pin)?;
        if manager.role != Role::Manager {
            return Err(StoreError::Forbidden(Refusal::NotAManager(manager.name)));
        }
        Ok(Manager {
            actor: actor.clone(),
            approver: Some(manager.name),
        })
    }

    /// The manager's authority of the operator themselves, with no approval: their own name
    /// checked (`actor`), then their role.
    pub fn own_manager(&self, name: &str) -> Result<Manager> {
        let actor = self.actor(name)?;
        if !actor.is_manager() {
            return Err(StoreError::Forbidden(Refusal::ManagerNeeded(actor.name)));
        }
        Ok(Manager {
            actor,
            approver: None,
        })
    }

    /// `manager`, with the actor checked first: what a caller holding a name and perhaps an
    /// approval asks for.
    pub fn manager_named(&mut self, name: &str, approval: Option<&Approval>) -> Result<Manager> {
        let actor = self.actor(name)?;
        self.manager(&actor, approval)
    }
}

#[cfg(test)]
#[path = "actor_tests.rs"]
mod tests;
