"""What the PAR Index API reads and accepts: criteria sets with their tree, campaigns, scorecards, items
and result rows, and the bodies of the writes (each mirrors one form of the pages)."""

from django.urls import reverse
from rest_framework import serializers

from cchc.parindex.models import (
    PHASE_DEADLINE_FIELDS,
    Assessment,
    Campaign,
    CriteriaSet,
    Criterion,
    Item,
)
from cchc.units.models import Unit

DEADLINE_FIELDS = list(PHASE_DEADLINE_FIELDS.values())
POINTS = {"max_digits": 7, "decimal_places": 2}


class CriterionSerializer(serializers.ModelSerializer):
    """A node of a set's tree: an area (no parent), a criterion or a leaf (one with a method)."""

    is_leaf = serializers.BooleanField(read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "parent",
            "code",
            "title",
            "position",
            "max_points",
            "method",
            "is_leaf",
            "threshold",
            "tiers",
            "per_occurrence",
            "floor",
            "evidence_required",
            "not_applicable_rule",
            "metric",
            "legal_basis",
        ]


class CriteriaSetSerializer(serializers.ModelSerializer):
    """A set as the list shows it; `leaves` and `maximum` are its figures, `in_use` locks it."""

    # A plain string: the units' own `type` enum already names this choice set in the schema.
    unit_type = serializers.CharField(
        read_only=True, help_text="agency, central, commune, district, province, subunit"
    )
    leaves = serializers.IntegerField(read_only=True)
    maximum = serializers.DecimalField(
        source="maximum_points", read_only=True, max_digits=9, decimal_places=2
    )
    in_use = serializers.BooleanField(read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "year",
            "unit_type",
            "title",
            "legal_basis",
            "verified",
            "cloned_from",
            "leaves",
            "maximum",
            "in_use",
        ]


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    """One set with its whole tree, in the order of the criteria."""

    criteria = CriterionSerializer(many=True, read_only=True, source="ordered_criteria")

    class Meta(CriteriaSetSerializer.Meta):
        fields = [*CriteriaSetSerializer.Meta.fields, "criteria"]


class CampaignSerializer(serializers.ModelSerializer):
    """A year's campaign: its phase, the phases' deadlines and the publication decision."""

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organiser",
            "year",
            "title",
            "phase",
            *DEADLINE_FIELDS,
            "published_on",
            "decision_number",
            "answer_weights",
            "imported",
            "created_at",
        ]
        read_only_fields = ["phase", "published_on", "decision_number", "answer_weights", "imported"]


class CampaignCreateSerializer(serializers.Serializer):
    """The page's form to open a campaign: organiser (a top-level unit the caller plans), year, title."""

    organiser = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    self_assessment_until = serializers.DateField(required=False, allow_null=True)
    appraisal_until = serializers.DateField(required=False, allow_null=True)
    explanation_until = serializers.DateField(required=False, allow_null=True)
    second_appraisal_until = serializers.DateField(required=False, allow_null=True)
    finalisation_until = serializers.DateField(required=False, allow_null=True)


class DeadlinesSerializer(serializers.Serializer):
    """New deadlines; a field left out keeps its day."""

    self_assessment_until = serializers.DateField(required=False, allow_null=True)
    appraisal_until = serializers.DateField(required=False, allow_null=True)
    explanation_until = serializers.DateField(required=False, allow_null=True)
    second_appraisal_until = serializers.DateField(required=False, allow_null=True)
    finalisation_until = serializers.DateField(required=False, allow_null=True)


class AdvanceSerializer(serializers.Serializer):
    """Moving to the next phase; publication needs the decision's number."""

    decision_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    """A unit's scorecard in a campaign."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_type = serializers.CharField(source="unit.type", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "unit_type",
            "criteria_set",
            "status",
            "submitted_at",
            "submitted_by",
        ]


class EvidenceSerializer(serializers.Serializer):
    """An evidence file of an item; `url` downloads it for those who see the item's unit."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        return reverse("parindex:evidence", args=[evidence.pk])


class ItemSerializer(serializers.ModelSerializer):
    """A unit's score on one leaf through all the phases; `version` grows with every change."""

    campaign = serializers.IntegerField(source="assessment.campaign_id", read_only=True)
    unit = serializers.IntegerField(source="assessment.unit_id", read_only=True)
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)
    criterion_title = serializers.CharField(source="criterion.title", read_only=True)
    method = serializers.CharField(source="criterion.method", read_only=True)
    max_points = serializers.DecimalField(source="criterion.max_points", read_only=True, **POINTS)
    final_score = serializers.DecimalField(read_only=True, allow_null=True, **POINTS)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "assessment",
            "campaign",
            "unit",
            "criterion",
            "criterion_code",
            "criterion_title",
            "method",
            "max_points",
            "not_applicable",
            "self_input",
            "self_score",
            "unit_note",
            "auto_value",
            "auto_source",
            "evidence",
            "appraised_score",
            "appraisal_reason",
            "appraised_by",
            "appraised_at",
            "explanation",
            "explained_at",
            "second_score",
            "second_reason",
            "second_at",
            "final_score",
            "version",
        ]
        read_only_fields = fields


class VersionedSerializer(serializers.Serializer):
    """Every item write may name the version it was based on: an older one is refused with 409."""

    version = serializers.IntegerField(min_value=0, required=False)


class SelfAssessmentSerializer(VersionedSerializer):
    """What the unit reports on a leaf (points, có/không, a tier, a rate…); the points follow the method."""

    self_input = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    not_applicable = serializers.BooleanField(required=False, default=False)
    unit_note = serializers.CharField(required=False, allow_blank=True, default="")


class AppraisalSerializer(VersionedSerializer):
    """Accept the unit's score, or set another one (or mark the leaf not applicable) with the reason."""

    accept = serializers.BooleanField()
    appraised_score = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    appraisal_reason = serializers.CharField(required=False, allow_blank=True, default="")
    not_applicable = serializers.BooleanField(required=False, allow_null=True, default=None)


class ExplanationSerializer(VersionedSerializer):
    """The unit's one answer to an adjusted score."""

    explanation = serializers.CharField(allow_blank=True)


class SecondAppraisalSerializer(VersionedSerializer):
    """The final score of an explained item, with the reason."""

    second_score = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    second_reason = serializers.CharField(allow_blank=True)


class AcceptedSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="How many scores were accepted.")


class AreaResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    score = serializers.DecimalField(max_digits=12, decimal_places=4)
    max = serializers.DecimalField(max_digits=12, decimal_places=4)


class ResultRowSerializer(serializers.Serializer):
    """One unit's result as the ranking page shows it; `provisional` until the campaign's finalisation."""

    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    unit_type = serializers.CharField()
    assessment = serializers.IntegerField(source="assessment_pk", allow_null=True)
    score = serializers.DecimalField(max_digits=12, decimal_places=4)
    max_points = serializers.DecimalField(max_digits=12, decimal_places=4)
    index = serializers.DecimalField(source="index_shown", max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    band = serializers.CharField()
    areas = AreaResultSerializer(many=True)
    previous_index = serializers.DecimalField(
        source="previous_index_shown", max_digits=7, decimal_places=2, allow_null=True
    )
    previous_rank = serializers.IntegerField(allow_null=True)
    provisional = serializers.SerializerMethodField()

    def get_provisional(self, row) -> bool:
        return not self.context.get("fixed", False)
