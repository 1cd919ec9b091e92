from django.db.models import Prefetch
from django.views.generic import ListView

from awards.forms import HonourRollFilterForm
from awards.models import AwardDecision, AwardRecipient
from news.models import Article
from portal.views import CanonicalDetailView


class HonourRollView(ListView):
    """Khen thưởng: decisions, newest first, with filters and a search over recipients."""

    template_name = "awards/honour_roll.html"
    context_object_name = "decisions"
    paginate_by = 20
    query_parameters = (*HonourRollFilterForm.base_fields, "page")

    def get_queryset(self):
        self.form = HonourRollFilterForm(self.request.GET or None)
        decisions = self.form.filter(AwardDecision.objects.for_listing())
        query = self.form.cleaned_data.get("q", "") if self.form.is_valid() else ""
        if query:
            matches = AwardRecipient.objects.search(query).select_related("organization", "person")
            # Only decisions with a matching recipient, each listing who matched.
            decisions = decisions.filter(pk__in=matches.values("decision")).prefetch_related(
                Prefetch("recipients", queryset=matches, to_attr="matches")
            )
        return decisions

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(form=self.form, query_string=params.urlencode(), **kwargs)


class DecisionDetailView(CanonicalDetailView):
    context_object_name = "decision"
    queryset = AwardDecision.objects.select_related("award_type", "authority", "signer", "document")

    def get_context_data(self, **kwargs):
        recipients = list(
            self.object.recipients.select_related("organization", "person").order_by("order", "id")
        )
        return super().get_context_data(
            collectives=[r for r in recipients if r.is_collective],
            individuals=[r for r in recipients if not r.is_collective],
            articles=list(
                Article.objects.published().for_listing().filter(award_decisions=self.object)
            ),
            **kwargs,
        )
