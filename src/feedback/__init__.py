"""feedback: turn what a webinar leaves behind into an honest, blog-ready report.

Load chat logs, Q&A and attendee reports and survey exports into one tidy table
(:mod:`feedback.loaders`), tag every comment against a codebook
(:mod:`feedback.classifier`), and write a report (:mod:`feedback.report`).
Importing the package does no work.
"""

__version__ = "0.1.0"
