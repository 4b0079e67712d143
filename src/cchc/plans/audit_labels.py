"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "finding.create": _("Inspection finding recorded"),
        "finding.reopen": _("Inspection finding reopened"),
        "finding.report_remedy": _("Remedy reported"),
        "finding.verify": _("Remedy verified"),
        "inspection.create": _("Inspection scheduled"),
        "inspection.record": _("Inspection result recorded"),
        "inspection_plan.create": _("Inspection plan created"),
        "measurement.create": _("Measurement recorded"),
        "measurement.update": _("Measurement changed"),
        "plan.add_area": _("Plan area added"),
        "plan.attach_document": _("Document attached to the plan"),
        "plan.cascade": _("Plan cascaded to units"),
        "plan.close": _("Plan closed"),
        "plan.create": _("Plan created"),
        "plan.issue": _("Plan issued"),
        "plans.import_draft": _("Plan imported from a document"),
        "report.accept": _("Report accepted"),
        "report.approve": _("Report approved"),
        "report.return": _("Report returned"),
        "report.save": _("Report saved"),
        "report.start": _("Report started"),
        "report.submit": _("Report submitted"),
        "report_schedule.create": _("Reporting schedule created"),
        "target.create": _("Target created"),
        "target.set_unit_value": _("Unit target value set"),
        "target.update": _("Target changed"),
        "task.accept_update": _("Progress update accepted"),
        "task.approve_deadline": _("Deadline change approved"),
        "task.create": _("Task created"),
        "task.refuse_deadline": _("Deadline change refused"),
        "task.report": _("Progress reported"),
        "task.request_deadline": _("Deadline change requested"),
        "task.return_update": _("Progress update returned"),
        "task.update": _("Task changed"),
    }
)
