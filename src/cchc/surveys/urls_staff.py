"""Staff pages: SIPAS campaigns and results (`urls_sipas`) and citizen feedback (`urls_feedback`)."""

from cchc.surveys.urls_feedback import urlpatterns as feedback_patterns
from cchc.surveys.urls_sipas import urlpatterns as sipas_patterns

urlpatterns = [*sipas_patterns, *feedback_patterns]
