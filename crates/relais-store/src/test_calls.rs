//! For the store's tests only: each write method called with the operator's name (and the
//! approval) as the CLI does it, the `Actor` or `Manager` made first by the store's own
//! checks (`Store::actor`, `Store::manager`), then the method. A refusal of who acts comes
//! back as the method's error, as it did when each method checked its operator by hand.

use crate::archive::{ArchiveOptions, ArchiveReport};
use crate::avoirs::{
    AvoirView, ExternalVoucherInput, ExternalVoucherView, IssueAvoirInput, RedeemInput,
    SellVoucherInput,
};
use crate::backup::BackupReport;
use crate::catalog::{ImportOptions, ImportReport, NewProduct, ProductView};
use crate::export::{ExportOptions, ExportReport};
use crate::tax_audit::{AuditOptions, AuditReport};
use crate::{
    Abandoned, Approval, CloseDayInput, ClosureReport, DisplaySettings, LostTail, OpenDayInput,
    OrderView, PaperOptions, PaperReport, PrintJob, PrinterSettings, Recorded, RefundInput,
    ReprintResult, Result, Role, SaleSettings, StaffView, Store,
};
use relais_core::catalog::{Department, ScaleRule};
use relais_core::closure::{ClosurePeriod, Direction};
use relais_core::order::OrderInput;
use relais_core::sale::PaymentInput;
use relais_core::SaleInput;
use std::path::Path;

impl Store {
    pub(crate) fn record_sale_as(
        &mut self,
        input: &SaleInput,
        default_operator: Option<&str>,
    ) -> Result<Recorded> {
        let by = self.sale_actor(input, default_operator)?;
        self.record_sale(input, &by)
    }

    pub(crate) fn reprint_as(&mut self, reference: &str, operator: &str) -> Result<ReprintResult> {
        let by = self.actor(operator)?;
        self.reprint(reference, &by)
    }

    pub(crate) fn receipt_to_print_as(
        &mut self,
        reference: &str,
        operator: &str,
    ) -> Result<PrintJob> {
        let by = self.actor(operator)?;
        self.receipt_to_print(reference, &by)
    }

    pub(crate) fn record_drawer_opened_as(&mut self, operator: &str) -> Result<()> {
        let by = self.actor(operator)?;
        self.record_drawer_opened(&by)
    }

    pub(crate) fn record_abandoned_cart_as(
        &mut self,
        cart: &SaleInput,
        operator: &str,
    ) -> Result<Abandoned> {
        let by = self.actor(operator)?;
        self.record_abandoned_cart(cart, &by)
    }

    pub(crate) fn set_department_as(
        &mut self,
        code: &str,
        name: &str,
        vat_rate_bp: u32,
        operator: &str,
    ) -> Result<Department> {
        let by = self.actor(operator)?;
        self.set_department(code, name, vat_rate_bp, &by)
    }

    pub(crate) fn manage_department_as(
        &mut self,
        code: &str,
        name: &str,
        vat_rate_bp: u32,
        operator: &str,
    ) -> Result<Department> {
        let by = self.manager_named(operator, None)?;
        self.manage_department(code, name, vat_rate_bp, &by)
    }

    pub(crate) fn move_department_as(
        &mut self,
        code: &str,
        earlier: bool,
        operator: &str,
    ) -> Result<Vec<Department>> {
        let by = self.manager_named(operator, None)?;
        self.move_department(code, earlier, &by)
    }

    pub(crate) fn create_product_as(
        &mut self,
        new: &NewProduct,
        operator: &str,
    ) -> Result<ProductView> {
        let by = self.actor(operator)?;
        self.create_product(new, &by)
    }

    pub(crate) fn import_catalog_as(
        &mut self,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let by = self.manager_named(&options.operator, None)?;
        self.import_catalog(path, options, &by)
    }

    pub(crate) fn set_scale_rules_as(
        &mut self,
        rules: &[ScaleRule],
        operator: &str,
    ) -> Result<Vec<ScaleRule>> {
        let by = self.manager_named(operator, None)?;
        self.set_scale_rules(rules, &by)
    }

    pub(crate) fn mark_reentered_as(
        &mut self,
        reference: &str,
        saas_ref: &str,
        operator: &str,
    ) -> Result<bool> {
        let by = self.actor(operator)?;
        self.mark_reentered(reference, saas_ref, &by)
    }

    pub(crate) fn import_reentries_as(
        &mut self,
        path: &Path,
        operator: &str,
    ) -> Result<crate::ReentryImport> {
        let by = self.actor(operator)?;
        self.import_reentries(path, &by)
    }

    pub(crate) fn open_day_as(&mut self, input: &OpenDayInput) -> Result<Recorded> {
        let by = self.actor(&input.operator)?;
        self.open_day(input, &by)
    }

    pub(crate) fn close_day_as(&mut self, input: &CloseDayInput) -> Result<ClosureReport> {
        let by = self.manager_named(&input.operator, input.approval.as_ref())?;
        self.close_day(input, &by)
    }

    pub(crate) fn close_period_as(
        &mut self,
        period: ClosurePeriod,
        which: &str,
        operator: &str,
        approval: Option<&Approval>,
    ) -> Result<ClosureReport> {
        let by = self.manager_named(operator, approval)?;
        self.close_period(period, which, &by)
    }

    pub(crate) fn cash_movement_as(
        &mut self,
        direction: Direction,
        amount_cents: i64,
        category: &str,
        reason: &str,
        operator: &str,
        approval: Option<&Approval>,
    ) -> Result<Recorded> {
        let by = self.manager_named(operator, approval)?;
        self.cash_movement(direction, amount_cents, category, reason, &by)
    }

    pub(crate) fn void_sale_as(
        &mut self,
        reference: &str,
        reason: &str,
        operator: &str,
        approval: Option<&Approval>,
    ) -> Result<Recorded> {
        let by = self.manager_named(operator, approval)?;
        self.void_sale(reference, reason, &by)
    }

    pub(crate) fn refund_as(&mut self, input: &RefundInput) -> Result<Recorded> {
        let by = self.manager_named(&input.operator, input.approval.as_ref())?;
        self.refund(input, &by)
    }

    pub(crate) fn import_paper_as(
        &mut self,
        path: &Path,
        options: &PaperOptions,
    ) -> Result<PaperReport> {
        let by = self.actor(&options.operator)?;
        self.import_paper(path, options, &by)
    }

    pub(crate) fn outage_started_as(
        &mut self,
        at_local: Option<&str>,
        reason: &str,
        operator: &str,
    ) -> Result<()> {
        let by = self.actor(operator)?;
        self.outage_started(at_local, reason, &by)
    }

    pub(crate) fn outage_ended_as(&mut self, at_local: Option<&str>, operator: &str) -> Result<()> {
        let by = self.actor(operator)?;
        self.outage_ended(at_local, &by)
    }

    pub(crate) fn set_saas_status_url_as(
        &mut self,
        url: Option<&str>,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.set_saas_status_url(url, &by)
    }

    pub(crate) fn issue_avoir_as(&mut self, input: &IssueAvoirInput) -> Result<AvoirView> {
        let by = self.actor(&input.operator)?;
        self.issue_avoir(input, &by)
    }

    pub(crate) fn sell_voucher_as(&mut self, input: &SellVoucherInput) -> Result<AvoirView> {
        let by = self.actor(&input.operator)?;
        self.sell_voucher(input, &by)
    }

    pub(crate) fn redeem_avoir_as(&mut self, input: &RedeemInput) -> Result<AvoirView> {
        let by = self.actor(&input.operator)?;
        self.redeem_avoir(input, &by)
    }

    pub(crate) fn accept_external_voucher_as(
        &mut self,
        input: &ExternalVoucherInput,
    ) -> Result<ExternalVoucherView> {
        let by = self.actor(&input.operator)?;
        self.accept_external_voucher(input, &by)
    }

    pub(crate) fn import_till_key_as(
        &mut self,
        till: &str,
        public_key: &str,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.import_till_key(till, public_key, &by)
    }

    pub(crate) fn backup_as(&mut self, target: &Path, operator: &str) -> Result<BackupReport> {
        let by = self.actor(operator)?;
        self.backup(target, &by)
    }

    pub(crate) fn configure_backups_as(
        &mut self,
        folder: Option<&Path>,
        every_sales: u64,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.configure_backups(folder, every_sales, &by)
    }

    pub(crate) fn set_printer_settings_as(
        &mut self,
        settings: &PrinterSettings,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.set_printer_settings(settings, &by)
    }

    pub(crate) fn set_sale_settings_as(
        &mut self,
        settings: &SaleSettings,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.set_sale_settings(settings, &by)
    }

    pub(crate) fn set_display_settings_as(
        &mut self,
        settings: &DisplaySettings,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.set_display_settings(settings, &by)
    }

    pub(crate) fn acknowledge_lost_tail_as(&mut self, operator: &str) -> Result<LostTail> {
        let by = self.manager_named(operator, None)?;
        self.acknowledge_lost_tail(&by)
    }

    pub(crate) fn export_as(&mut self, options: &ExportOptions) -> Result<ExportReport> {
        let by = self.manager_named(&options.operator, None)?;
        self.export(options, &by)
    }

    pub(crate) fn archive_as(&mut self, options: &ArchiveOptions) -> Result<ArchiveReport> {
        let by = self.manager_named(&options.operator, None)?;
        self.archive(options, &by)
    }

    pub(crate) fn tax_audit_as(&mut self, options: &AuditOptions) -> Result<AuditReport> {
        let by = self.manager_named(&options.operator, None)?;
        self.tax_audit(options, &by)
    }

    pub(crate) fn create_order_as(
        &mut self,
        input: &OrderInput,
        default_operator: Option<&str>,
    ) -> Result<OrderView> {
        let by = self.order_actor(input, default_operator)?;
        self.create_order(input, &by)
    }

    pub(crate) fn order_ready_as(
        &mut self,
        reference: &str,
        note: Option<String>,
        operator: &str,
    ) -> Result<OrderView> {
        let by = self.actor(operator)?;
        self.order_ready(reference, note, &by)
    }

    pub(crate) fn collect_order_as(
        &mut self,
        reference: &str,
        balance: &[PaymentInput],
        operator: &str,
    ) -> Result<Recorded> {
        self.collect_order_with_as(reference, balance, &crate::SaleOptions::default(), operator)
    }

    pub(crate) fn collect_order_with_as(
        &mut self,
        reference: &str,
        balance: &[PaymentInput],
        options: &crate::SaleOptions,
        operator: &str,
    ) -> Result<Recorded> {
        let by = self.actor(operator)?;
        self.collect_order(reference, balance, options, &by)
    }

    pub(crate) fn cancel_order_as(
        &mut self,
        reference: &str,
        refund_method: Option<&str>,
        reason: &str,
        operator: &str,
        approval: Option<&Approval>,
    ) -> Result<OrderView> {
        let by = self.actor(operator)?;
        self.cancel_order(reference, refund_method, reason, &by, approval)
    }

    pub(crate) fn add_staff_as(
        &mut self,
        name: &str,
        role: Role,
        pin: &str,
        by: &str,
    ) -> Result<StaffView> {
        let by = self.manager_named(by, None)?;
        self.add_staff(name, role, pin, &by)
    }

    pub(crate) fn set_staff_active_as(
        &mut self,
        name: &str,
        active: bool,
        by: &str,
    ) -> Result<StaffView> {
        let by = self.manager_named(by, None)?;
        self.set_staff_active(name, active, &by)
    }

    pub(crate) fn change_pin_as(&mut self, name: &str, new_pin: &str, by: &str) -> Result<()> {
        let by = self.actor(by)?;
        self.change_pin(name, new_pin, &by)
    }

    pub(crate) fn hide_department_as(
        &mut self,
        code: &str,
        hidden: bool,
        operator: &str,
    ) -> Result<Department> {
        let by = self.manager_named(operator, None)?;
        self.hide_department(code, hidden, &by)
    }

    pub(crate) fn record_sale_with_as(
        &mut self,
        input: &SaleInput,
        default_operator: Option<&str>,
        options: &crate::sales::SaleOptions,
    ) -> Result<Recorded> {
        let by = self.sale_actor(input, default_operator)?;
        self.record_sale_with(input, &by, options)
    }

    pub(crate) fn refund_to_avoir_as(
        &mut self,
        input: &RefundInput,
    ) -> Result<(Recorded, AvoirView)> {
        let by = self.manager_named(&input.operator, input.approval.as_ref())?;
        self.refund_to_avoir(input, &by)
    }

    pub(crate) fn set_avoir_settings_as(
        &mut self,
        settings: &crate::avoirs::AvoirSettings,
        operator: &str,
    ) -> Result<()> {
        let by = self.manager_named(operator, None)?;
        self.set_avoir_settings(settings, &by)
    }
}
