from django.db.models import Prefetch

from awards.models import AwardDecision, AwardRecipient
from news.models import Article
from organizations.models import Organization, Person, Position
from portal.views import CanonicalDetailView

# How many items each block of an organization or person page lists.
BLOCK_SIZE = 10


def recipients_with_decisions():
    return AwardRecipient.objects.select_related(
        "decision__award_type", "decision__authority"
    ).order_by("-decision__decided_on", "order")


class Block(list):
    """The first items of a list, knowing whether there are more."""

    def __init__(self, items, has_more):
        super().__init__(items)
        self.has_more = has_more


def first_block(queryset) -> Block:
    items = list(queryset[: BLOCK_SIZE + 1])  # one more, to know whether to link to the rest
    return Block(items[:BLOCK_SIZE], len(items) > BLOCK_SIZE)


class OrganizationDetailView(CanonicalDetailView):
    context_object_name = "organization"
    queryset = Organization.objects.select_related("parent", "logo")

    def get_context_data(self, **kwargs):
        organization = self.object
        return super().get_context_data(
            ancestors=organization.ancestors(),
            children=list(organization.children.active()),
            office_holders=list(
                Position.objects.current()
                .filter(organization=organization)
                .select_related("person")
                .order_by("id")
            ),
            awards_received=first_block(
                recipients_with_decisions().filter(organization=organization)
            ),
            decisions_conferred=first_block(
                AwardDecision.objects.for_listing().filter(authority=organization)
            ),
            articles=list(
                Article.objects.published()
                .for_listing()
                .filter(organizations=organization)[:BLOCK_SIZE]
            ),
            **kwargs,
        )


class PersonDetailView(CanonicalDetailView):
    context_object_name = "person"
    queryset = Person.objects.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organization").order_by(
                "end_date", "-start_date", "id"
            ),
        )
    )

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            awards_received=first_block(recipients_with_decisions().filter(person=person)),
            articles=list(
                Article.objects.published().for_listing().filter(people=person)[:BLOCK_SIZE]
            ),
            **kwargs,
        )
