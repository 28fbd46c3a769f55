"""The weekly review model: periods, tiles, changes, charts and formats shared by every front-end.

Nothing here imports Streamlit; the dashboard, the PDF report, the CLI and the precompute all
read the same functions.
"""
