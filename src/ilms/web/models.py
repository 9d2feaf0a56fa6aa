"""Response models of the JSON API (pydantic): they document the API in /openapi.json."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ..demo import DEMO_NOTICE as SYNTHETIC_NOTICE  # one wording everywhere


class Links(BaseModel):
    self: str
    data: str | None = None


class CodeOut(BaseModel):
    id: str
    name: str


class UnitOut(BaseModel):
    id: str = Field(description="ILMS unit id, e.g. `thousands`")
    unit_measure: str = Field(description="CL_UNIT_MEASURE code, e.g. PS (persons)")
    unit_mult: str = Field(description="power of ten the values are multiplied by (3: thousands)")
    label: str
    currency_required: bool


class DimensionOut(BaseModel):
    id: str = Field(description="dimension id; also the query parameter that filters on it")
    name: str
    codelist: str


class DimensionDetail(DimensionOut):
    codelist_name: str
    open: bool = Field(description="codes come from the source catalogue (/api/v1/sources), not a fixed list")
    codes: list[CodeOut]
    required: list[str] = Field(description="codes every complete table has")


class ClassifOut(BaseModel):
    dimension: str
    prefix: str = ""


class IlostatIndicatorOut(BaseModel):
    indicator: str
    fixed: dict[str, str]
    classif1: ClassifOut | None
    classif2: ClassifOut | None


class TableOut(BaseModel):
    number: int = Field(description="table number, 1 to 17 (permanent)")
    id: str = Field(description="SDMX dataflow id (permanent), e.g. DF_ILMS_T05")
    module: str
    module_name: str
    title: str
    short_title: str
    measure: str
    unit: UnitOut
    key_order: list[str] = Field(description="dimension ids in series-key order (TIME_PERIOD follows)")
    dimensions: list[DimensionOut]
    links: Links


class TableDetail(TableOut):
    dsd_id: str
    agency: str
    dimensions: list[DimensionDetail]
    ilostat: list[IlostatIndicatorOut]


class TableList(BaseModel):
    tables: list[TableOut]


class ReleaseOut(BaseModel):
    name: str
    description: str | None
    published_at: dt.datetime
    checksum: str = Field(description="SHA-256 of the release's canonical public serialisation")
    n_observations: int
    synthetic: bool
    notice: str | None = Field(None, description=f'"{SYNTHETIC_NOTICE}" when the release is synthetic')
    links: Links


class ReleaseList(BaseModel):
    releases: list[ReleaseOut]


class SourceOut(BaseModel):
    code: str = Field(description="SDMX-safe source id, e.g. BA_453")
    ilostat_code: str = Field(description="ILOSTAT source code, e.g. BA:453")
    ref_area: str
    name: str
    type: str
    agency: str | None
    periodicity: str | None
    coverage: str | None
    migrant_definition: str | None
    reference_period: str | None
    classifications: str | None
    notes: str | None


class SourceList(BaseModel):
    sources: list[SourceOut]


class Health(BaseModel):
    status: str
    database: str
    backend: str
    error: str | None = None


class ReleaseRef(BaseModel):
    name: str
    checksum: str
    synthetic: bool
    published_at: dt.datetime


class DataMeta(BaseModel):
    table: int
    dataflow: str
    basis: str = Field(description="`release` (a published release), `as_of` (the published data as of "
                                   "a time) or `current` (no release is published yet)")
    release: ReleaseRef | None
    as_of: dt.datetime | None
    cut: int = Field(description="the last changeset included")
    synthetic: bool
    notice: str | None = Field(description=f'"{SYNTHETIC_NOTICE}" for synthetic data')
    notes: list[str]
    filters: dict[str, list[str]]
    start: str | None
    end: str | None


class NotesOut(BaseModel):
    classif: str | None = Field(description="ILOSTAT classification note codes, e.g. C6:1058")
    indicator: str | None
    source: str | None
    comment: str | None


class ObservationOut(BaseModel):
    key: dict[str, str] = Field(description="code by dimension id, in key order")
    labels: dict[str, str] = Field(description="label by dimension id")
    time: str
    value: float | None = Field(description="null when confidential (see `confidential`)")
    confidential: bool
    status: str | None = Field(description="CL_OBS_STATUS code")
    notes: NotesOut
    unit: str
    unit_mult: str | None
    currency: str | None


class DataResponse(BaseModel):
    meta: DataMeta
    observations: list[ObservationOut]
    count: int = Field(description="number of observations sent: the whole selection, never truncated")
