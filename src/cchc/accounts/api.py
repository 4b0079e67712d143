"""API for users: the people holding roles in the caller's scope, with their roles."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from cchc.accounts.models import RoleAssignment, User
from cchc.accounts.permissions import VIEW, scope_filter
from cchc.accounts.queries import users_for


class RoleAssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["unit", "unit_name", "role"]


class UserSerializer(serializers.ModelSerializer):
    role_assignments = RoleAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "position", "is_active", "role_assignments"]


USER_EXAMPLES = [
    OpenApiExample(
        "Cán bộ đầu mối của xã",
        value={
            "id": 3,
            "username": "xatay.canbo",
            "full_name": "Lê Thị Cán Bộ",
            "email": "canbo@xatay.gov.vn",
            "position": "Công chức Văn phòng - Thống kê",
            "is_active": True,
            "role_assignments": [{"unit": 6, "unit_name": "Xã Tây", "role": "focal_point"}],
        },
        response_only=True,
    )
]


@extend_schema_view(
    list=extend_schema(examples=USER_EXAMPLES), retrieve=extend_schema(examples=USER_EXAMPLES)
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People in the caller's scope, each with the roles they hold on units in that scope.

    A person may also hold roles elsewhere (a commune officer who helps a neighbouring ward): those
    are left out, or the list would tell one unit about another unit's staff (found by fuzzing).
    """

    serializer_class = UserSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        visible_roles = RoleAssignment.objects.filter(
            scope_filter(self.request.user, VIEW, "unit__path")
        ).select_related("unit")
        return (
            users_for(self.request.user)
            .prefetch_related(Prefetch("role_assignments", queryset=visible_roles))
            .order_by("username")
        )
