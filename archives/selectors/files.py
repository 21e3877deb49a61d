"""Reads of tenant files: the list with each file's count of missing required documents
(worked out in the database, so that the list can be filtered by gaps and costs the same
queries whatever its rows), and a file's catalogue with a tick per required type."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from archives.models import REQUIRED_FLAG, Document, DocumentType, TenantFile
from config.queries import count_of


def _missing_of_kind(flag: str) -> Subquery:
    """How many active types of the catalogue ``flag`` marks required have no document in
    the outer file."""
    filed = Document.objects.filter(file=OuterRef(OuterRef("pk")), type=OuterRef("pk"))
    missing = (
        DocumentType.objects.filter(active=True, **{flag: True})
        .filter(~Exists(filed))
        .order_by()
        .values(flag)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(missing, output_field=IntegerField())


def missing_count():
    """The number of required document types the file lacks, for the file's kind."""
    return Case(
        *(
            When(kind=kind, then=Coalesce(_missing_of_kind(flag), Value(0)))
            for kind, flag in REQUIRED_FLAG.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def file_list() -> QuerySet[TenantFile]:
    """Every file with its unit, tenant, count of documents and its stored count of missing
    required ones (``missing``, kept by archives.services.files.files_missing_refresh)."""
    return TenantFile.objects.select_related("unit", "tenant").annotate(
        document_count=count_of(Document.objects.all(), "file"),
    )


@dataclass
class CatalogueLine:
    """A required type of the file's catalogue and the documents of it the file holds."""

    type: DocumentType
    documents: list[Document] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.documents)


@dataclass
class Catalogue:
    lines: list[CatalogueLine]
    # Documents of types the file's kind does not require (a receipt, an inspection report).
    others: list[Document]

    @property
    def missing(self) -> list[DocumentType]:
        """Every required type without a document, in the catalogue's order."""
        return [line.type for line in self.lines if not line.present]


def file_catalogue(tenant_file: TenantFile, documents: list[Document] | None = None) -> Catalogue:
    """The file's catalogue: each active type its kind requires, ticked when a document of
    it is filed, and the file's other documents. ``documents``: the file's, if read already."""
    if documents is None:
        documents = list(tenant_file.documents.select_related("type"))
    flag = REQUIRED_FLAG[tenant_file.kind]
    required = DocumentType.objects.filter(active=True, **{flag: True})
    lines = {doc_type.pk: CatalogueLine(doc_type) for doc_type in required}
    others = []
    for document in documents:
        line = lines.get(document.type_id)
        if line is None:
            others.append(document)
        else:
            line.documents.append(document)
    return Catalogue(lines=list(lines.values()), others=others)


def file_documents(tenant_file: TenantFile) -> list[Document]:
    """The file's documents in the order of the printed catalogue (卷内目录): by date."""
    return list(tenant_file.documents.select_related("type").order_by("dated_on", "pk"))


def open_file_of(*, unit_id: int, tenant_id: int) -> TenantFile | None:
    return TenantFile.objects.filter(
        unit_id=unit_id, tenant_id=tenant_id, closed_on__isnull=True
    ).first()
