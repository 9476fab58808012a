"""Shape validation for the pages; the services judge meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pulih.accounts.models import User
from pulih.organisations.models import Office, Unit, UnitStatus
from pulih.regions.forms import RegionField
from pulih.units.checklist import CHECKLIST
from pulih.units.models import (
    Agent,
    BackgroundTag,
    EventKind,
    InstitutionType,
    MemberRole,
    Sex,
    Topic,
    WorkPlan,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=150,
                           help_text=_("For example “IBM Bina Masyarakat”."))
    village = RegionField("village", label=_("Village (desa/kelurahan)"))
    office = forms.ModelChoiceField(label=_("Supervising office"), queryset=Office.objects.none())
    decree_number = forms.CharField(label=_("Formation decree number"), max_length=100, required=False)
    decree_date = date_field(_("Formation decree date"), required=False)
    decree_signer = forms.CharField(label=_("Decree signed by"), max_length=150, required=False,
                                    help_text=_("For example Kepala Desa."))
    inaugurated_on = date_field(_("Inauguration date"), required=False)
    funding_source = forms.CharField(label=_("Funding source"), max_length=150, required=False,
                                     help_text=_("For example DIPA BNN, APBDes, CSR."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    changed_on = date_field(_("Date of the change"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(UnitStatus.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in allowed]  # type: ignore[attr-defined]


class AgentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    role = forms.ChoiceField(label=_("Role in the unit"), choices=MemberRole.choices,
                             initial=MemberRole.MEMBER)
    tags = forms.MultipleChoiceField(label=_("Background"), choices=BackgroundTag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    former_user = forms.BooleanField(
        label=_("Former user"), required=False,
        help_text=_("Sensitive: visible only inside the unit and to its supervising office."),
    )
    active_from = date_field(_("Active from"))

    def __init__(self, *args: Any, sensitive: bool, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["former_user"]
        if editing:
            del self.fields["active_from"]


class AgentMoveForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("New unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role in the new unit"), choices=MemberRole.choices,
                             initial=MemberRole.MEMBER)
    moved_on = date_field(_("Date of the move"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units  # type: ignore[attr-defined]


class AgentLeaveForm(forms.Form):
    left_on = date_field(_("Last day as an agent"))


class AgentLoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False),
                               help_text=_("Give it to the agent in person; it can be changed later."))


class StakeholderForm(forms.Form):
    institution_type = forms.ChoiceField(label=_("Institution type"), choices=InstitutionType.choices)
    institution = forms.CharField(label=_("Institution"), max_length=150,
                                  help_text=_("For example Pemerintah Kabupaten Muaro Jambi."))
    role = forms.CharField(label=_("Role"), max_length=150, help_text=_("For example Wakil Bupati."))
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    since = date_field(_("Involved since"), required=False)
    at_inauguration = forms.BooleanField(label=_("Attended the inauguration"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = date_field(_("First day"))
    ends_on = date_field(_("Last day"))
    venue = forms.CharField(label=_("Venue"), max_length=200,
                            help_text=_("For example Aula Kantor Desa."))
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    office = forms.ModelChoiceField(label=_("Organising office"), queryset=Office.objects.none())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class ParticipantsForm(forms.Form):
    agents = forms.ModelMultipleChoiceField(label=_("Agents"), queryset=Agent.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    staff = forms.ModelMultipleChoiceField(label=_("Office staff"), queryset=User.objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, agents: QuerySet[Agent], staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = agents  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]


FOLLOW_UP_ROWS = 3


class VisitForm(forms.Form):
    visited_on = date_field(_("Visit date"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    flag_needs_support = forms.BooleanField(
        label=_("The unit needs support"), required=False,
        help_text=_("Moves an active unit to “needs support”, with the findings as the reason."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)
        for i in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"action_{i}"] = forms.CharField(
                label=_("Follow-up action %(n)d") % {"n": i}, max_length=300, required=False)
            self.fields[f"due_{i}"] = date_field(_("Due date %(n)d") % {"n": i}, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, FOLLOW_UP_ROWS + 1):
            if data.get(f"action_{i}") and not data.get(f"due_{i}"):
                self.add_error(f"due_{i}", _("Give a due date for this action."))
        return data

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _label in CHECKLIST}

    def follow_ups(self) -> list[tuple[str, Any]]:
        d = self.cleaned_data
        return [(d[f"action_{i}"], d[f"due_{i}"]) for i in range(1, FOLLOW_UP_ROWS + 1)
                if d.get(f"action_{i}")]


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    due_on = date_field(_("Due date"))


class FollowUpCompleteForm(forms.Form):
    completed_on = date_field(_("Completed on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 5}))
    evaluated_on = date_field(_("Evaluation date"))


class WorkPlanForm(forms.Form):
    clients_screened = forms.IntegerField(label=_("Clients screened"), min_value=0)
    clients_served = forms.IntegerField(label=_("Clients served"), min_value=0)
    referrals = forms.IntegerField(label=_("Referrals"), min_value=0)
    community_activities = forms.IntegerField(label=_("Community activities"), min_value=0)
    participants_reached = forms.IntegerField(label=_("Participants reached"), min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def targets(self) -> dict[str, int]:
        return {f: self.cleaned_data[f] for f in WorkPlan.TARGET_FIELDS}
