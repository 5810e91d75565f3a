//! Turning a file (txt/md/html/docx/pdf) into plain text. (being written)
