"""API for users: the people holding roles in the caller's scope, with their roles."""

from rest_framework import serializers, viewsets

from cchc.accounts.models import RoleAssignment, User
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


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        return users_for(self.request.user).prefetch_related("role_assignments__unit").order_by("username")
