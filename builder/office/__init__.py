"""Office files in and out: score workbooks (.xlsx) for 观摩拉练, Word
documents (.docx) of the itinerary and the results, self-assessment
workbooks, and the Excel export of every assessment. openpyxl writes and
reads the workbooks, python-docx writes the documents."""
