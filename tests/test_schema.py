import pandas as pd
import pytest

from feedback.exceptions import SchemaError
from feedback.schema import ITEM_COLUMNS, Col, Kind, items_from_records, validate_items


def test_items_from_records_fills_columns_and_types():
    items = items_from_records([{Col.TEXT: "hello", Col.KIND: Kind.CHAT}])
    assert tuple(items.columns) == ITEM_COLUMNS
    assert items.loc[0, Col.TEXT] == "hello"
    assert items.loc[0, Col.AUTHOR] == ""
    assert bool(items.loc[0, Col.IS_PRIVATE]) is False
    assert pd.isna(items.loc[0, Col.TIMESTAMP])
    validate_items(items)


def test_validate_items_names_missing_columns():
    with pytest.raises(SchemaError, match=r"missing column.*text"):
        validate_items(pd.DataFrame({Col.ITEM_ID: ["a"]}), required=(Col.ITEM_ID, Col.TEXT))


def test_validate_items_rejects_unknown_kind():
    items = items_from_records([{Col.TEXT: "x", Col.KIND: "tweet"}])
    with pytest.raises(SchemaError, match="tweet"):
        validate_items(items)
