"""PAR Index pages under /parindex/ in the "parindex" namespace.

Campaign and scorecard pages (phases, self-assessment, appraisal, explanation, evidence) are in
`urls_campaign`; results, rankings, comparisons, exports and criteria sets in `urls_results`.
"""

from cchc.parindex.urls_campaign import urlpatterns as campaign_patterns
from cchc.parindex.urls_results import urlpatterns as result_patterns

app_name = "parindex"
urlpatterns = [*campaign_patterns, *result_patterns]
