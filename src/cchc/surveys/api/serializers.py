"""What the survey and feedback API reads and accepts. Field names are English; labels come translated."""

from typing import Any

from rest_framework import serializers

from cchc.surveys.models import (
    Feedback,
    FeedbackRating,
    QuestionKind,
    ResponseChannel,
    SurveyCampaign,
    SurveyResponse,
)
from cchc.surveys.services import feedback_rights
from cchc.units.models import Unit


def decimal(**kwargs: Any) -> serializers.DecimalField:
    """A percentage or index as the pages show it: two decimals, empty when there is nothing to count."""
    return serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, **kwargs)


# -- SIPAS ----------------------------------------------------------------------------------------


class SipasElementSerializer(serializers.Serializer):
    """A measured element: one of the five of service delivery, or a policy group."""

    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()


class SipasQuestionSerializer(serializers.Serializer):
    """A question of the questionnaire: its code is the key of an answer when a response is entered."""

    code = serializers.CharField()
    element = serializers.CharField(source="element.code", allow_null=True, default=None)
    text = serializers.CharField()
    kind = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required


class SipasCampaignSerializer(serializers.ModelSerializer):
    """A campaign with its questionnaire (the link tokens of the units are not part of it)."""

    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    elements = SipasElementSerializer(many=True, read_only=True)
    questions = SipasQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyCampaign
        fields = [
            "id",
            "code",
            "organiser",
            "organiser_name",
            "year",
            "title",
            "status",
            "starts_on",
            "ends_on",
            "formula",
            "legal_basis",
            "elements",
            "questions",
        ]


class SipasResponseSerializer(serializers.ModelSerializer):
    """An anonymous response: the scores and chosen options by question code (open texts left out)."""

    answers = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = ["id", "campaign", "unit", "response_code", "channel", "field", "answered_on", "answers"]

    def get_answers(self, response) -> dict[str, Any]:
        # The viewset's queryset prefetches no open-text answers; `shown_answer` also leaves out what a
        # citizen typed to a perception or expectation question without options (the public form
        # offers a text box there).
        shown = ((answer.question.code, shown_answer(answer)) for answer in response.answers.all())
        return {code: value for code, value in shown if value is not None}


def shown_answer(answer) -> int | str | None:
    """A score, or one of the options the question offers; None for anything a person wrote freely."""
    if answer.score is not None:
        return answer.score
    question = answer.question
    offered = question.options if question.kind in (QuestionKind.PERCEPTION, QuestionKind.EXPECTATION) else []
    return answer.text if answer.text in (offered or []) else None


class SipasEnteredResponseSerializer(SipasResponseSerializer):
    """A response just typed in, with the receipt code the entry page shows to whoever typed it."""

    class Meta(SipasResponseSerializer.Meta):
        fields = [*SipasResponseSerializer.Meta.fields, "receipt_code"]


class SipasNewResponseSerializer(serializers.Serializer):
    """A paper form or a phone interview; the service checks the answers against the questionnaire."""

    campaign = serializers.IntegerField()
    unit = serializers.IntegerField()
    channel = serializers.ChoiceField(
        choices=[(choice.value, choice.label) for choice in (ResponseChannel.PAPER, ResponseChannel.PHONE)]
    )
    answered_on = serializers.DateField()
    response_code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    field = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000))


class SipasIndexFiguresSerializer(serializers.Serializer):
    """The figures of one row of the index table (a unit, or the total of the units)."""

    n = serializers.IntegerField()
    quota = serializers.IntegerField(allow_null=True)
    elements = serializers.DictField(child=decimal())
    overall = decimal()
    ci_low = decimal()
    ci_high = decimal()
    hidden_below = serializers.IntegerField(
        allow_null=True, help_text="When set, the row has fewer forms than this and its figures are null."
    )


class SipasUnitResultSerializer(serializers.Serializer):
    """One surveyed unit's row of the campaign page: this year's figures, last year's, the rating."""

    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    n = serializers.IntegerField(source="row.n")
    quota = serializers.IntegerField(source="row.quota", allow_null=True)
    below_quota = serializers.BooleanField(source="row.below_quota")
    elements = serializers.DictField(source="row.elements", child=decimal())
    overall = decimal(source="row.overall")
    ci_low = decimal(source="row.ci_low")
    ci_high = decimal(source="row.ci_high")
    hidden_below = serializers.IntegerField(
        source="row.hidden_below",
        allow_null=True,
        help_text="When set, the unit has fewer forms than this and its figures are null.",
    )
    previous = decimal()
    previous_from = serializers.CharField(help_text="The predecessor's name when last year's figure is its.")
    change = decimal()
    rating = decimal(source="rating_rate")


class SipasResultsSerializer(serializers.Serializer):
    """`queries.sipas.Results`: the rows of the units the caller views and their totals."""

    campaign = serializers.IntegerField(source="campaign.pk")
    period = serializers.SerializerMethodField()
    elements = SipasElementSerializer(many=True)
    rows = SipasUnitResultSerializer(many=True)
    total = SipasIndexFiguresSerializer(allow_null=True)
    previous_year = serializers.SerializerMethodField()
    previous_total = SipasIndexFiguresSerializer(allow_null=True)
    quota_total = serializers.IntegerField()

    def get_period(self, results) -> str:
        return results.period.key if results.period else str(results.campaign.year)

    def get_previous_year(self, results) -> int | None:
        return results.previous_campaign.year if results.previous_campaign else None


# -- feedback -------------------------------------------------------------------------------------


class FeedbackSerializer(serializers.ModelSerializer):
    """A feedback as the staff detail page shows it, with the steps the caller may take on it now.

    Nothing in it depends on today's date, so its ETag changes only when the feedback (or the caller's
    rights on it) changes.
    """

    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    # Empty until the citizen rates: said here, since a read-only choice field's schema would omit it.
    rating = serializers.ChoiceField(choices=FeedbackRating.choices, allow_blank=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "receipt_code",
            "external_code",
            "organiser",
            "organiser_name",
            "unit",
            "unit_name",
            "kind",
            "procedure_code",
            "channel",
            "title",
            "content",
            "contact",
            "consent_to_publish",
            "status",
            "received_at",
            "refuse_due",
            "info_request_due",
            "handle_due",
            "publish_due",
            "refused_at",
            "refusal_reason",
            "info_requested_at",
            "info_request",
            "info_received_at",
            "answered_at",
            "answer",
            "published_at",
            "rating",
            "rated_at",
            "reopened_count",
            "reopen_reason",
            "late_steps",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, feedback) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return sorted(feedback_rights.allowed_actions(request.user, feedback))


class FeedbackStepSerializer(serializers.Serializer):
    """`queries.feedback.steps`: each step with its deadline, when it was done and whether late."""

    step = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    due = serializers.DateField(allow_null=True)
    done = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()


class FeedbackRouteSerializer(serializers.Serializer):
    """The responsible unit, under the receiving authority and in force today (the service checks)."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())


class FeedbackReasonSerializer(serializers.Serializer):
    """Why the feedback is refused; the citizen reads it."""

    reason = serializers.CharField(max_length=10_000)


class FeedbackTextSerializer(serializers.Serializer):
    """The text sent to the citizen: the question asked, or the answer."""

    text = serializers.CharField(max_length=10_000)


class FeedbackInformationReceivedSerializer(serializers.Serializer):
    """When the citizen's information arrived (empty: now); the answer's deadline counts from then."""

    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
